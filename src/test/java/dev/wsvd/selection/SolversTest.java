package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QR least squares, NNLS and LSI on problems whose answers are worked out by hand. */
class SolversTest {

    @Test
    void qrSolvesAConsistentOverdeterminedSystemExactly() {
        // x = (2, -1): rows give 2·1 + (−1)·1 = 1, 2·1 = 2, −1·1 = −1, 2·3 + (−1)·4 = 2.
        double[][] a = {{1, 1}, {1, 0}, {0, 1}, {3, 4}};
        double[] b = {1, 2, -1, 2};
        assertArrayEquals(new double[] {2, -1}, new HouseholderQr(a).leastSquares(b), 1e-14);
    }

    @Test
    void qrFitsALineByLeastSquares() {
        // Points (0,0), (1,1), (2,1): normal equations [[3,3],[3,5]] (c, m) = (2, 3) give c = 1/6, m = 1/2.
        double[][] a = {{1, 0}, {1, 1}, {1, 2}};
        double[] b = {0, 1, 1};
        assertArrayEquals(new double[] {1.0 / 6, 0.5}, new HouseholderQr(a).leastSquares(b), 1e-15);
    }

    @Test
    void qrNoticesDependentColumns() {
        assertFalse(new HouseholderQr(new double[][] {{1, 2}, {2, 4}, {3, 6}}).isFullRank(1e-12));
        assertTrue(new HouseholderQr(new double[][] {{1, 2}, {2, 4}, {3, 7}}).isFullRank(1e-12));
        assertThrows(IllegalArgumentException.class, () -> new HouseholderQr(new double[][] {{1, 2}}));
    }

    @Test
    void nnlsWithIdentityClipsNegatives() {
        double[][] eye = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        assertArrayEquals(new double[] {1, 0, 3}, Nnls.solve(eye, new double[] {1, -2, 3}), 1e-15);
    }

    @Test
    void nnlsMovesToTheBoundaryWhenTheUnconstrainedOptimumIsNegative() {
        // Unconstrained: [[2,1],[1,2]] x = (3, 1) gives x = (5/3, −1/3). With x₂ = 0 the best x₁ minimises
        // (x₁ − 2)² + (x₁ − 1)², so 1.5; the gradient of x₂ there is 1·0.5 + 1·(−1) = −0.5 ≤ 0 (KKT).
        double[][] a = {{1, 1}, {1, 0}, {0, 1}};
        assertArrayEquals(new double[] {1.5, 0}, Nnls.solve(a, new double[] {2, 1, -1}), 1e-14);
    }

    @Test
    void nnlsLeavesAFeasibleUnconstrainedOptimumAlone() {
        double[][] a = {{1, 1}, {1, 0}, {0, 1}};
        // Consistent with x = (1, 2).
        assertArrayEquals(new double[] {1, 2}, Nnls.solve(a, new double[] {3, 1, 2}), 1e-14);
    }

    @Test
    void lsiEqualsOrdinaryLeastSquaresWhenTheConstraintsDoNotBind() {
        double[][] e = {{1, 0}, {1, 1}, {1, 2}};
        double[] f = {0, 1, 1};
        double[] ols = new HouseholderQr(e).leastSquares(f);
        double[] lsi = InequalityLeastSquares.solve(e, f, new double[][] {{0, 1}}, new double[] {0});
        assertArrayEquals(ols, lsi, 0.0);
    }

    @Test
    void lsiProjectsOntoAHalfPlane() {
        // The nearest point to the origin with x + y ≥ 3 is (1.5, 1.5).
        double[][] eye = {{1, 0}, {0, 1}};
        double[] x = InequalityLeastSquares.solve(eye, new double[] {0, 0}, new double[][] {{1, 1}}, new double[] {3});
        assertArrayEquals(new double[] {1.5, 1.5}, x, 1e-14);
    }

    @Test
    void lsiWithSeveralBindingConstraints() {
        // Nearest point to (1, −2, 3) with x ≥ 0, y ≥ 0, z ≤ 2 is (1, 0, 2).
        double[][] eye = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] g = {{1, 0, 0}, {0, 1, 0}, {0, 0, -1}};
        double[] x = InequalityLeastSquares.solve(eye, new double[] {1, -2, 3}, g, new double[] {0, 0, -2});
        assertArrayEquals(new double[] {1, 0, 2}, x, 1e-14);
    }

    @Test
    void lsiRejectsInfeasibleConstraints() {
        double[][] eye = {{1, 0}, {0, 1}};
        // x ≥ 1 and −x ≥ 0 cannot both hold.
        assertThrows(IllegalArgumentException.class, () -> InequalityLeastSquares.solve(eye, new double[] {0, 0},
                new double[][] {{1, 0}, {-1, 0}}, new double[] {1, 0}));
        // 0 ≥ 1.
        assertThrows(IllegalArgumentException.class, () -> InequalityLeastSquares.solve(eye, new double[] {0, 0},
                new double[][] {{0, 0}}, new double[] {1}));
    }
}
