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
 * Cholesky against independent truth: an integer factor known in advance, and the reproduction of {@code G}
 * by {@code L·Lᵀ} computed in plain Java.
 *
 * <p>Tolerance of the reproduction. Cholesky is backward stable: the computed {@code L} satisfies
 * {@code L·Lᵀ = G + ΔG} with {@code |ΔG| <= γ_{n+1}·|L|·|Lᵀ|} entrywise, {@code γ_{n+1} ≈ (n+1)·ε} (Higham,
 * <i>Accuracy and Stability of Numerical Algorithms</i>, Theorem 10.3). Since the rows {@code l_i} of {@code L}
 * have {@code ||l_i||² = G_ii}, Cauchy-Schwarz gives {@code ||·|L|·|Lᵀ|·||_F <= trace(G)}, so
 * {@code ||L·Lᵀ - G||_F <= (n+1)·ε·trace(G)}; the reference product in double adds at most as much again
 * for F64, hence {@code 2(n+1)·ε·trace(G)}, with ε of the factor's type. This bound holds for any positive
 * definite {@code G}, however ill-conditioned, which is why the test states it relative to the trace.
 */
class CholeskyTest {
    private static final Random RANDOM = new Random(31337);

    /** {@code L = [[2,0,0],[1,3,0],[-1,2,4]]}: every step of any Cholesky order is exact on these integers. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void factorsAnIntegerMatrixExactly(DType dtype) {
        double[][] g = {{4, 2, -2}, {2, 10, 5}, {-2, 5, 21}};
        try (Tensor matrix = toTensor(g, dtype); Cholesky cholesky = Cholesky.factor(matrix)) {
            assertEquals(dtype, cholesky.dtype());
            assertEquals(3, cholesky.size());
            assertArrayEquals(new double[]{2, 0, 0, 1, 3, 0, -1, 2, 4}, cholesky.lower().toDoubleArray());
            assertFalse(cholesky.isShifted());
            assertEquals(0, cholesky.shift());
            assertEquals(0, cholesky.relativeShift());
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void lTimesLTransposeReproducesTheGramOfRandomRows(DType dtype) {
        int n = 50;
        double[][] g = gramOf(gaussian(200, n, RANDOM));
        try (Tensor matrix = toTensor(g, dtype); Cholesky cholesky = Cholesky.factor(matrix)) {
            assertFalse(cholesky.isShifted(), cholesky.toString());
            double[][] l = toArray(cholesky.lower());
            assertLowerTriangularWithPositiveDiagonal(l);
            assertReproduces(toArray(matrix), 0, l, epsilon(dtype));
        }
    }

    /** Fewer rows than columns: G has rank 10 of 40, has no Cholesky factor, and the first shift is enough. */
    @Test
    void rankDeficientGramIsShiftedAndSaysSo() {
        int n = 40;
        try (GramAccumulator accumulator = new GramAccumulator(n);
             Tensor rows = toTensor(gaussian(10, n, RANDOM), DType.F64)) {
            accumulator.add(rows);
            try (Tensor gram = accumulator.gram(); Cholesky cholesky = Cholesky.factor(gram)) {
                double[][] g = toArray(gram);
                double meanDiagonal = trace(g) / n;
                assertTrue(cholesky.isShifted());
                assertEquals(Cholesky.INITIAL_RELATIVE_SHIFT, cholesky.relativeShift());
                assertEquals(Cholesky.INITIAL_RELATIVE_SHIFT * meanDiagonal, cholesky.shift(), 1e-12 * cholesky.shift());
                assertTrue(cholesky.toString().contains("shifted by 1.0E-6 of the mean diagonal"), cholesky.toString());
                double[][] l = toArray(cholesky.lower());
                assertLowerTriangularWithPositiveDiagonal(l);
                assertReproduces(g, cholesky.shift(), l, epsilon(DType.F64));
            }
        }
    }

    /**
     * {@code [[1, 1], [1, 1 + ε]]} is positive definite, and LAPACK factors it (its second pivot is ε), but no
     * Gram matrix formed in floating point can tell it from the singular {@code [[1, 1], [1, 1]]}: the pivot is
     * below the {@code n·ε·G_jj} that rounding alone can produce, so it is treated as rank-deficient.
     */
    @Test
    void aPivotAtTheRoundingLevelCountsAsRankDeficient() {
        try (Tensor g = Tensor.ofDoubles(Shape.of(2, 2), 1, 1, 1, 1 + Math.ulp(1.0)); Cholesky cholesky = Cholesky.factor(g)) {
            assertTrue(cholesky.isShifted(), cholesky.toString());
            assertEquals(Cholesky.INITIAL_RELATIVE_SHIFT, cholesky.relativeShift());
            assertTrue(cholesky.lower().get(1, 1) > 1e-3, "the shifted factor no longer has a noise pivot: " + cholesky.lower().get(1, 1));
        }
    }

    @Test
    void onlyTheLowerTriangleIsReadAndTheInputIsKept() {
        double[][] g = gramOf(gaussian(30, 8, RANDOM));
        try (Tensor clean = toTensor(g, DType.F64); Tensor dirty = toTensor(g, DType.F64);
             Cholesky expected = Cholesky.factor(clean)) {
            for (int i = 0; i < 8; i++) {
                for (int j = i + 1; j < 8; j++) {
                    dirty.setDouble(i * 8L + j, Double.NaN); // garbage above the diagonal, as syrk may leave
                }
            }
            double[] before = dirty.toDoubleArray();
            try (Cholesky actual = Cholesky.factor(dirty)) {
                assertArrayEquals(expected.lower().toDoubleArray(), actual.lower().toDoubleArray());
            }
            assertArrayEquals(before, dirty.toDoubleArray(), "potrf works on a copy");
        }
    }

    @Test
    void indefiniteAndZeroMatricesAreRefused() {
        // Eigenvalue -0.5: even the largest shift, the mean diagonal 0.25, leaves it negative.
        try (Tensor indefinite = Tensor.ofDoubles(Shape.of(2, 2), 1, 0, 0, -0.5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(indefinite));
            assertTrue(e.getMessage().contains("not positive semi-definite") && e.getMessage().contains("column 1"),
                    e.getMessage());
        }
        try (Tensor zero = Tensor.allocate(DType.F64, Shape.of(3, 3))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(zero));
            assertTrue(e.getMessage().contains("mean diagonal of 0.0"), e.getMessage());
        }
    }

    @Test
    void nonFiniteNonSquareAndEmptyInputsAreRefused() {
        try (Tensor g = toTensor(gramOf(gaussian(10, 4, RANDOM)), DType.F64)) {
            g.setDouble(3 * 4 + 1, Double.POSITIVE_INFINITY);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(g));
            assertTrue(e.getMessage().contains("Infinity at (row 3, column 1)"), e.getMessage());
        }
        try (Tensor wide = Tensor.allocate(DType.F64, Shape.of(3, 4));
             Tensor empty = Tensor.allocate(DType.F64, Shape.of(0, 0))) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(wide)).getMessage().contains("square"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(empty)).getMessage().contains("empty"));
        }
    }

    @Test
    void closedFactorizationFailsLoudly() {
        Cholesky cholesky;
        Tensor l;
        try (Tensor g = Tensor.ofDoubles(Shape.of(2, 2), 4, 2, 2, 3)) {
            cholesky = Cholesky.factor(g);
        }
        l = cholesky.lower();
        cholesky.close();
        assertTrue(cholesky.isClosed());
        assertThrows(IllegalStateException.class, cholesky::lower);
        assertThrows(IllegalStateException.class, () -> l.getDouble(0), "L taken before close must not read freed memory");
        cholesky.close(); // idempotent
    }

    static double[][] gramOf(double[][] rows) {
        return multiply(transpose(rows), rows);
    }

    private static double trace(double[][] g) {
        double trace = 0;
        for (int i = 0; i < g.length; i++) {
            trace += g[i][i];
        }
        return trace;
    }

    private static void assertLowerTriangularWithPositiveDiagonal(double[][] l) {
        for (int i = 0; i < l.length; i++) {
            assertTrue(l[i][i] > 0, "L(" + i + ", " + i + ") = " + l[i][i]);
            for (int j = i + 1; j < l.length; j++) {
                assertEquals(0.0, l[i][j], "L(" + i + ", " + j + ") is above the diagonal");
            }
        }
    }

    /** {@code ||L·Lᵀ - (G + shift·I)||_F <= 2(n+1)·ε·trace(G + shift·I)}: see the class comment. */
    private static void assertReproduces(double[][] g, double shift, double[][] l, double epsilon) {
        int n = g.length;
        double[][] shifted = new double[n][];
        for (int i = 0; i < n; i++) {
            shifted[i] = g[i].clone();
            shifted[i][i] += shift;
        }
        double error = frobeniusDistance(multiply(l, transpose(l)), shifted);
        double bound = 2 * (n + 1) * epsilon * trace(shifted);
        assertTrue(error <= bound, "||L·Lᵀ - G||_F = " + error + " > " + bound);
    }
}
