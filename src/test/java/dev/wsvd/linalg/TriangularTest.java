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
 * Products with a lower-triangular {@code L} and solves with it, against plain-Java arithmetic.
 *
 * <p>Tolerances, entrywise. {@code X·L} sums at most n products, each rounded: its error is at most
 * {@code γ_n·(|X|·|L|)_ij} with {@code γ_n ≈ n·ε}. For {@code Y = X·L⁻¹}, triangular substitution is backward
 * stable: {@code Y·(L + ΔL) = X} with {@code |ΔL| <= γ_n·|L|} (Higham, Theorem 8.5), so the residual of the
 * multiplication back is {@code |Y·L - X| <= γ_n·(|Y|·|L|)_ij}, whatever the conditioning of {@code L}. The
 * reference product in double adds up to {@code γ_n} of the same quantity in F64, so the tests allow
 * {@code 2·n·ε·(|A|·|L|)_ij} with ε of the operands' type.
 */
class TriangularTest {
    private static final Random RANDOM = new Random(271828);

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void timesLowerMatchesTheProductWithTheLowerTriangle(DType dtype) {
        double[][] x = gaussian(17, 12, RANDOM);
        double[][] l = randomLower(12);
        try (Tensor tx = toTensor(x, dtype); Tensor tl = withJunkAboveTheDiagonal(toTensor(l, dtype));
             Tensor product = Triangular.timesLower(tx, tl)) {
            assertEquals(Shape.of(17, 12), product.shape());
            assertEquals(dtype, product.dtype());
            assertWithinProductBound(multiply(toArray(tx), lowerOf(toArray(tl))), toArray(product), toArray(tx),
                    lowerOf(toArray(tl)), epsilon(dtype));
        }
    }

    /** {@code Lᵀ·X} against the plain product with the transposed lower triangle; the bound's roles swap sides. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void lowerTransposedTimesMatchesTheProductWithTheTransposedLowerTriangle(DType dtype) {
        double[][] x = gaussian(12, 17, RANDOM);
        double[][] l = randomLower(12);
        try (Tensor tx = toTensor(x, dtype); Tensor tl = withJunkAboveTheDiagonal(toTensor(l, dtype));
             Tensor product = Triangular.lowerTransposedTimes(tl, tx)) {
            assertEquals(Shape.of(12, 17), product.shape());
            assertEquals(dtype, product.dtype());
            double[][] lowerTransposed = transpose(lowerOf(toArray(tl)));
            // (Lᵀ·X)ᵀ = Xᵀ·L: the entrywise bound of the class comment, on the transposed product
            assertWithinProductBound(transpose(multiply(lowerTransposed, toArray(tx))), transpose(toArray(product)),
                    transpose(toArray(tx)), lowerOf(toArray(tl)), epsilon(dtype));
        }
    }

    @Test
    void lowerTransposedTimesRejectsMismatchedOperands() {
        try (Tensor x = Tensor.allocate(DType.F64, Shape.of(4, 3)); Tensor l5 = toTensor(randomLower(5), DType.F64)) {
            IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class, () -> Triangular.lowerTransposedTimes(l5, x));
            assertTrue(shapes.getMessage().contains("L has 5 rows, X has 4"), shapes.getMessage());
            x.setDouble(2, Double.POSITIVE_INFINITY);
            try (Tensor l4 = toTensor(randomLower(4), DType.F64)) {
                IllegalArgumentException infinite = assertThrows(IllegalArgumentException.class,
                        () -> Triangular.lowerTransposedTimes(l4, x));
                assertTrue(infinite.getMessage().contains("Infinity at (row 0, column 2)"), infinite.getMessage());
            }
        }
    }

    /** The solve is verified by multiplying back: {@code (X·L⁻¹)·L} must give {@code X}. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void timesLowerInverseSolvesYTimesLEqualsX(DType dtype) {
        double[][] x = gaussian(9, 30, RANDOM);
        try (Tensor g = toTensor(CholeskyTest.gramOf(gaussian(60, 30, RANDOM)), DType.F64);
             Cholesky cholesky = Cholesky.factor(g);
             Tensor tl = cholesky.lower().to(dtype); Tensor tx = toTensor(x, dtype);
             Tensor y = Triangular.timesLowerInverse(tx, tl)) {
            double[][] yl = multiply(toArray(y), toArray(tl));
            assertWithinProductBound(toArray(tx), yl, toArray(y), toArray(tl), epsilon(dtype));
        }
    }

    /** Verified by multiplying back: {@code (X·L⁻ᵀ)·Lᵀ} must give {@code X}; the bound of the class comment with Lᵀ. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void timesLowerTransposedInverseSolvesYTimesLTransposedEqualsX(DType dtype) {
        double[][] x = gaussian(9, 30, RANDOM);
        try (Tensor g = toTensor(CholeskyTest.gramOf(gaussian(60, 30, RANDOM)), DType.F64);
             Cholesky cholesky = Cholesky.factor(g);
             Tensor tl = cholesky.lower().to(dtype); Tensor tx = toTensor(x, dtype);
             Tensor y = Triangular.timesLowerTransposedInverse(tx, tl)) {
            double[][] lt = transpose(toArray(tl));
            double[][] ylt = multiply(toArray(y), lt);
            assertWithinProductBound(toArray(tx), ylt, toArray(y), lt, epsilon(dtype));
        }
    }

    /** The two solves together apply {@code G⁻¹}: {@code (X·L⁻ᵀ·L⁻¹)·G = X} for {@code G = L·Lᵀ}. */
    @Test
    void bothSolvesApplyTheInverseGram() {
        double[][] x = gaussian(5, 12, RANDOM);
        double[][] l = randomLower(12);
        double[][] g = multiply(l, transpose(l));
        try (Tensor tx = toTensor(x, DType.F64); Tensor tl = toTensor(l, DType.F64);
             Tensor half = Triangular.timesLowerTransposedInverse(tx, tl); Tensor solved = Triangular.timesLowerInverse(half, tl)) {
            double[][] back = multiply(toArray(solved), g);
            // randomLower is well conditioned (cond < 10, so cond(G) < 100): X comes back to ~1e-13
            assertTrue(maxDistance(x, back) < 1e-12, "max |X·G⁻¹·G - X| = " + maxDistance(x, back));
        }
    }

    @Test
    void inverseUndoesTheProduct() {
        double[][] w = gaussian(6, 10, RANDOM);
        double[][] l = randomLower(10);
        try (Tensor tw = toTensor(w, DType.F64); Tensor tl = toTensor(l, DType.F64);
             Tensor wl = Triangular.timesLower(tw, tl); Tensor back = Triangular.timesLowerInverse(wl, tl)) {
            // randomLower's diagonal dominates, so L is well conditioned (cond < 10) and W comes back to ~1e-14.
            assertTrue(maxDistance(w, toArray(back)) < 1e-13, "max |W·L·L⁻¹ - W| = " + maxDistance(w, toArray(back)));
        }
    }

    @Test
    void singularLIsRefused() {
        double[][] l = randomLower(4);
        l[2][2] = 0;
        try (Tensor tl = toTensor(l, DType.F64); Tensor x = toTensor(gaussian(3, 4, RANDOM), DType.F64)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Triangular.timesLowerInverse(x, tl));
            assertTrue(e.getMessage().contains("0 on its diagonal at (2, 2)"), e.getMessage());
            try (Tensor product = Triangular.timesLower(x, tl)) { // a product with a singular L is fine
                assertEquals(Shape.of(3, 4), product.shape());
            }
        }
    }

    @Test
    void nonFiniteOperandsAreRefusedNamingTheElement() {
        try (Tensor x = toTensor(gaussian(3, 4, RANDOM), DType.F64); Tensor l = toTensor(randomLower(4), DType.F64)) {
            x.setDouble(1 * 4 + 2, Double.NaN);
            IllegalArgumentException inX = assertThrows(IllegalArgumentException.class, () -> Triangular.timesLower(x, l));
            assertTrue(inX.getMessage().startsWith("X ") && inX.getMessage().contains("NaN at (row 1, column 2)"),
                    inX.getMessage());
            x.setDouble(1 * 4 + 2, 0);
            l.setDouble(3 * 4 + 1, Double.NEGATIVE_INFINITY);
            IllegalArgumentException inL = assertThrows(IllegalArgumentException.class, () -> Triangular.timesLowerInverse(x, l));
            assertTrue(inL.getMessage().startsWith("L ") && inL.getMessage().contains("-Infinity at (row 3, column 1)"),
                    inL.getMessage());
        }
    }

    @Test
    void mismatchedOperandsAreRejected() {
        try (Tensor x = Tensor.allocate(DType.F64, Shape.of(3, 4)); Tensor l5 = toTensor(randomLower(5), DType.F64);
             Tensor l32 = toTensor(randomLower(4), DType.F32); Tensor rectangular = Tensor.allocate(DType.F64, Shape.of(4, 5))) {
            IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class, () -> Triangular.timesLower(x, l5));
            assertTrue(shapes.getMessage().contains("X has 4 columns, L has 5 rows"), shapes.getMessage());
            IllegalArgumentException types = assertThrows(IllegalArgumentException.class, () -> Triangular.timesLower(x, l32));
            assertTrue(types.getMessage().contains("F32"), types.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Triangular.timesLowerInverse(x, rectangular));
        }
    }

    @Test
    void noRowsGiveNoRows() {
        try (Tensor x = Tensor.allocate(DType.F32, Shape.of(0, 3)); Tensor l = toTensor(randomLower(3), DType.F32);
             Tensor product = Triangular.timesLower(x, l); Tensor solved = Triangular.timesLowerInverse(x, l)) {
            assertEquals(Shape.of(0, 3), product.shape());
            assertEquals(Shape.of(0, 3), solved.shape());
        }
    }

    /** A lower-triangular matrix with Gaussian entries below a diagonal of 3 ± 1: nonsingular, well conditioned. */
    private static double[][] randomLower(int n) {
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                l[i][j] = RANDOM.nextGaussian() / Math.sqrt(n);
            }
            l[i][i] = 3 + (RANDOM.nextDouble() * 2 - 1);
        }
        return l;
    }

    /** Fills the strict upper triangle with values the routines must ignore. */
    private static Tensor withJunkAboveTheDiagonal(Tensor l) {
        int n = l.rows();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l.setDouble((long) i * n + j, 1e6);
            }
        }
        return l;
    }

    private static double[][] lowerOf(double[][] l) {
        double[][] lower = new double[l.length][l.length];
        for (int i = 0; i < l.length; i++) {
            System.arraycopy(l[i], 0, lower[i], 0, i + 1);
        }
        return lower;
    }

    /** Entrywise {@code |expected - actual| <= 2·n·ε·(|a|·|l|)}: see the class comment. */
    private static void assertWithinProductBound(double[][] expected, double[][] actual, double[][] a, double[][] l,
                                                 double epsilon) {
        int n = l.length;
        double[][] magnitude = multiply(absolute(a), absolute(l));
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < n; j++) {
                double bound = 2 * n * epsilon * magnitude[i][j];
                assertEquals(expected[i][j], actual[i][j], bound, "(" + i + ", " + j + ")");
            }
        }
    }

    private static double[][] absolute(double[][] a) {
        double[][] abs = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            abs[i] = a[i].clone();
            for (int j = 0; j < abs[i].length; j++) {
                abs[i][j] = Math.abs(abs[i][j]);
            }
        }
        return abs;
    }
}
