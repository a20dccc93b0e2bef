package dev.wsvd.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tensor-level facade: shapes, dtypes and sub-blocks reach the kernels correctly. Expected values by plain loops. */
class KernelsTest {
    private final Random random = new Random(7);

    private Tensor randomMatrix(DType dtype, int rows, int columns) {
        Tensor t = Tensor.allocate(dtype, Shape.of(rows, columns));
        for (long i = 0; i < t.shape().size(); i++) {
            t.setDouble(i, random.nextGaussian());
        }
        return t;
    }

    @Test
    void scaledColumnsFormsTheLeadingColumnsOfUTimesS() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            try (Tensor u = randomMatrix(dtype, 7, 5); Tensor s = randomMatrix(dtype, 1, 5).reshape(Shape.of(5));
                 Tensor us = Kernels.scaledColumns(u, 3, s)) {
                assertEquals(Shape.of(7, 3), us.shape());
                assertEquals(dtype, us.dtype());
                assertTrue(us.ownsMemory());
                for (int i = 0; i < 7; i++) {
                    for (int j = 0; j < 3; j++) {
                        double expected = dtype == DType.F32 ? (float) u.get(i, j) * (float) s.get(j) : u.get(i, j) * s.get(j);
                        assertEquals(expected, us.get(i, j), dtype + " (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void scaledRowsFormsTheLeadingRowsOfSTimesVt() {
        try (Tensor vt = randomMatrix(DType.F32, 5, 9); Tensor s = Tensor.ofFloats(Shape.of(5), 5, 4, 3, 2, 1);
             Tensor svt = Kernels.scaledRows(vt, 2, s)) {
            assertEquals(Shape.of(2, 9), svt.shape());
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 9; j++) {
                    assertEquals((float) vt.get(i, j) * (5 - i), svt.get(i, j));
                }
            }
        }
    }

    @Test
    void balancedFactorsMultiplyBackToTheScaledProduct() {
        // (U sqrt(S)) (sqrt(S) Vt) = U S Vt: checked entry by entry with plain loops.
        try (Tensor u = randomMatrix(DType.F64, 4, 3); Tensor vt = randomMatrix(DType.F64, 3, 6);
             Tensor s = Tensor.ofDoubles(Shape.of(3), 9, 4, 0.25); Tensor root = Kernels.sqrt(s);
             Tensor b = Kernels.scaledColumns(u, 3, root); Tensor a = Kernels.scaledRows(vt, 3, root)) {
            assertArrayEquals(new double[] {3, 2, 0.5}, root.toDoubleArray());
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 6; j++) {
                    double product = 0;
                    double expected = 0;
                    for (int k = 0; k < 3; k++) {
                        product += b.get(i, k) * a.get(k, j);
                        expected += u.get(i, k) * s.get(k) * vt.get(k, j);
                    }
                    assertEquals(expected, product, 1e-14);
                }
            }
        }
    }

    @Test
    void inPlaceScalingAndLeadingColumns() {
        try (Tensor m = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6)) {
            try (Tensor rowScales = Tensor.ofFloats(Shape.of(2), 10, -1)) {
                Kernels.scaleRowsInPlace(m, rowScales);
            }
            assertArrayEquals(new float[] {10, 20, 30, -4, -5, -6}, m.toFloatArray());
            try (Tensor columnScales = Tensor.ofFloats(Shape.of(3), 1, 0.5f, 0)) {
                Kernels.scaleColumnsInPlace(m, columnScales);
            }
            assertArrayEquals(new float[] {10, 10, 0, -4, -2.5f, -0f}, m.toFloatArray());
            try (Tensor left = Kernels.leadingColumns(m, 2)) {
                assertArrayEquals(new float[] {10, 10, -4, -2.5f}, left.toFloatArray());
            }
            try (Tensor none = Kernels.leadingColumns(m, 0)) {
                assertEquals(Shape.of(2, 0), none.shape());
            }
        }
    }

    @Test
    void normsAndDistancesOnTensorsOfAnyShape() {
        try (Tensor a = Tensor.ofFloats(Shape.of(2, 1, 2), 3, 4, 0, 12); Tensor b = Tensor.ofFloats(Shape.of(2, 1, 2), 3, 4, 0, 0)) {
            assertEquals(169, Kernels.sumOfSquares(a));
            assertEquals(13, Kernels.frobeniusNorm(a));
            assertEquals(144, Kernels.squaredDistance(a, b));
            assertEquals(12.0 / 13, Kernels.relativeError(a, b), 1e-16);
        }
        try (Tensor zero = Tensor.ofDoubles(Shape.of(2), 0, 0); Tensor other = Tensor.ofDoubles(Shape.of(2), 0, 1)) {
            assertEquals(0.0, Kernels.relativeError(zero, zero));
            assertEquals(Double.POSITIVE_INFINITY, Kernels.relativeError(zero, other));
        }
    }

    @Test
    void rejectsMismatchedOrUnsupportedOperands() {
        try (Tensor f32 = Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4); Tensor f64 = Tensor.ofDoubles(Shape.of(2, 2), 1, 2, 3, 4);
             Tensor f16 = f32.to(DType.F16); Tensor scales = Tensor.ofFloats(Shape.of(2), 1, 2);
             Tensor flat = Tensor.ofFloats(Shape.of(4), 1, 2, 3, 4)) {
            assertThrows(IllegalArgumentException.class, () -> Kernels.squaredDistance(f32, f64));
            assertThrows(IllegalArgumentException.class, () -> Kernels.squaredDistance(f32, flat));
            var half = assertThrows(IllegalArgumentException.class, () -> Kernels.sumOfSquares(f16));
            assertTrue(half.getMessage().contains("to(DType.F32)"), half.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledColumns(f64, 2, scales));
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledColumns(f32, 3, scales));
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledRows(flat, 1, scales));
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaleRowsInPlace(f32, flat));
            assertThrows(IllegalArgumentException.class, () -> Kernels.sqrt(Tensor.ofFloats(Shape.of(1), -1)));
        }
    }

    @Test
    void closedTensorsFailWithIllegalState() {
        Tensor m = Tensor.ofFloats(Shape.of(1, 2), 1, 2);
        Tensor s = Tensor.ofFloats(Shape.of(2), 1, 2);
        m.close();
        assertThrows(IllegalStateException.class, () -> Kernels.sumOfSquares(m));
        assertThrows(IllegalStateException.class, () -> Kernels.scaledColumns(m, 2, s));
        s.close();
    }

    @Test
    void firstNonFiniteIsAFlatIndexInEveryDtype() {
        for (DType dtype : DType.values()) {
            try (Tensor t = randomMatrix(DType.F64, 3, 5).to(dtype)) {
                assertEquals(-1, Kernels.firstNonFinite(t), dtype.toString());
                t.setDouble(2 * 5 + 1, Double.NEGATIVE_INFINITY);
                t.setDouble(2 * 5 + 3, Double.NaN);
                assertEquals(11, Kernels.firstNonFinite(t), dtype.toString());
                t.setDouble(4, Double.NaN);
                assertEquals(4, Kernels.firstNonFinite(t), dtype.toString());
            }
        }
    }

    /**
     * Every position of lengths around the vector widths, with a second culprit later that must not be named
     * instead; truth: the planted position.
     */
    @Test
    void firstNonFiniteFindsThePlantedElementAtEveryPosition() {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int n : new int[] {1, 7, 8, 9, 16, 17, 33, 65}) {
                try (Tensor t = randomMatrix(dtype, 1, n)) {
                    assertEquals(-1, Kernels.firstNonFinite(t), dtype + " all finite, n = " + n);
                    for (int position = 0; position < n; position++) {
                        double kept = t.getDouble(position);
                        int later = Math.min(n - 1, position + 5);
                        double keptLater = t.getDouble(later);
                        t.setDouble(later, Double.NaN);
                        t.setDouble(position, specials[position % 3]);
                        assertEquals(position, Kernels.firstNonFinite(t), dtype + " n = " + n + ", planted at " + position);
                        t.setDouble(later, keptLater);
                        t.setDouble(position, kept);
                    }
                }
            }
        }
    }

    /** Squares of finite f64 values beyond 1e154 overflow the vectorized sum; the scan then finds nothing. */
    @Test
    void hugeFiniteValuesAreFinite() {
        try (Tensor t = Tensor.ofDoubles(Shape.of(3), 1e300, -1e300, 1)) {
            assertEquals(-1, Kernels.firstNonFinite(t));
        }
    }
}
