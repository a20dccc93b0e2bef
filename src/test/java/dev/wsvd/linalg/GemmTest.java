package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static dev.wsvd.linalg.Matrices.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Matrix products against a brute-force triple loop in double precision. Tolerance: each entry is a sum of k
 * products, each rounded once, so its error is at most about k·ε·(|A|·|B|) entrywise; with k <= 70 and unit
 * Gaussian entries that is below 1e-4 in F32 and 1e-12 in F64.
 */
class GemmTest {
    private static final Random RANDOM = new Random(99);

    private static double tolerance(DType dtype) {
        return dtype == DType.F64 ? 1e-12 : 1e-4;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void multiplyMatchesTheTripleLoop(DType dtype) {
        for (int[] mkn : new int[][]{{1, 1, 1}, {7, 3, 5}, {33, 70, 17}, {1, 40, 9}, {12, 1, 30}}) {
            double[][] a = gaussian(mkn[0], mkn[1], RANDOM);
            double[][] b = gaussian(mkn[1], mkn[2], RANDOM);
            try (Tensor ta = toTensor(a, dtype); Tensor tb = toTensor(b, dtype); Tensor c = Gemm.multiply(ta, tb)) {
                assertEquals(Shape.of(mkn[0], mkn[2]), c.shape());
                assertEquals(dtype, c.dtype());
                // Compare with the product of the operands as stored (rounded to the type), not the double originals.
                assertTrue(maxDistance(multiply(toArray(ta), toArray(tb)), toArray(c)) <= tolerance(dtype));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void transposedOperandsMatchExplicitTransposes(DType dtype) {
        double[][] a = gaussian(9, 14, RANDOM);
        double[][] b = gaussian(9, 6, RANDOM);
        double[][] c = gaussian(11, 14, RANDOM);
        try (Tensor ta = toTensor(a, dtype); Tensor tb = toTensor(b, dtype); Tensor tc = toTensor(c, dtype);
             Tensor atb = Gemm.multiplyTransposeA(ta, tb);
             Tensor actT = Gemm.multiplyTransposeB(ta, tc)) {
            assertEquals(Shape.of(14, 6), atb.shape());
            assertTrue(maxDistance(multiply(transpose(toArray(ta)), toArray(tb)), toArray(atb)) <= tolerance(dtype));
            assertEquals(Shape.of(9, 11), actT.shape());
            assertTrue(maxDistance(multiply(toArray(ta), transpose(toArray(tc))), toArray(actT)) <= tolerance(dtype));
        }
    }

    @Test
    void multiplyIntoOverwritesTheTarget() {
        double[][] a = gaussian(4, 3, RANDOM);
        double[][] b = gaussian(3, 5, RANDOM);
        try (Tensor ta = toTensor(a, DType.F64); Tensor tb = toTensor(b, DType.F64);
             Tensor target = toTensor(gaussian(4, 5, RANDOM), DType.F64)) {
            Gemm.multiplyInto(ta, tb, target);
            assertTrue(maxDistance(multiply(a, b), toArray(target)) <= 1e-12, "old contents must not leak into C");
        }
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        try (Tensor a = Tensor.allocate(DType.F32, Shape.of(3, 0));
             Tensor b = Tensor.allocate(DType.F32, Shape.of(0, 2));
             Tensor c = Tensor.ofFloats(Shape.of(3, 2), 1, 2, 3, 4, 5, 6)) {
            Gemm.multiplyInto(a, b, c);
            assertArrayEquals(new float[6], c.toFloatArray());
        }
    }

    @Test
    void mismatchedOperandsAreRejectedWithTheirShapes() {
        try (Tensor a = Tensor.allocate(DType.F32, Shape.of(3, 4));
             Tensor b = Tensor.allocate(DType.F32, Shape.of(5, 2));
             Tensor b64 = Tensor.allocate(DType.F64, Shape.of(4, 2));
             Tensor half = Tensor.allocate(DType.F16, Shape.of(4, 2));
             Tensor wrongTarget = Tensor.allocate(DType.F32, Shape.of(3, 3))) {
            IllegalArgumentException inner = assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(a, b));
            assertTrue(inner.getMessage().contains("3x4") && inner.getMessage().contains("5x2"), inner.getMessage());
            IllegalArgumentException types = assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(a, b64));
            assertTrue(types.getMessage().contains("F64"), types.getMessage());
            IllegalArgumentException f16 = assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(a, half));
            assertTrue(f16.getMessage().contains("F16"), f16.getMessage());
            try (Tensor b42 = Tensor.allocate(DType.F32, Shape.of(4, 2))) {
                IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                        () -> Gemm.multiplyInto(a, b42, wrongTarget));
                assertTrue(target.getMessage().contains("3x2") && target.getMessage().contains("3x3"), target.getMessage());
            }
        }
    }

    @Test
    void targetSharingMemoryWithAnOperandIsRejected() {
        try (Tensor square = toTensor(gaussian(4, 4, RANDOM), DType.F32)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Gemm.multiplyInto(square, square, square));
            assertTrue(e.getMessage().contains("share memory"), e.getMessage());
        }
    }
}
