package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fit is checked against truths computed here, in the monomial basis the reference uses: the
 * polynomial's own values, ordinary least squares by exact decimal normal equations, and the KKT optimality
 * conditions of the reference's QP.
 */
class MonotonicFitTest {

    private static final double[] TENTHS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private static double polyval(double[] c, double x) {
        double v = 0;
        for (int p = c.length - 1; p >= 0; p--) {
            v = v * x + c[p];
        }
        return v;
    }

    private static double derivative(double[] c, double x) {
        double v = 0;
        for (int p = c.length - 1; p >= 1; p--) {
            v = v * x + p * c[p];
        }
        return v;
    }

    private static double[] values(double[] c, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = polyval(c, x[i]);
        }
        return y;
    }

    /** How large a derivative rounding alone can produce from these coefficients, for tolerances. */
    private static double derivativeScale(double[] c) {
        double s = 1;
        for (int p = 1; p < c.length; p++) {
            s += p * Math.abs(c[p]);
        }
        return s;
    }

    private static void assertMonotoneOnGrid(MonotonicFit.Fit fit) {
        double[] c = fit.coefficients();
        for (double g : MonotonicFit.constraintGrid()) {
            assertTrue(derivative(c, g) >= -1e-9 * derivativeScale(c),
                    "derivative " + derivative(c, g) + " at " + g);
        }
    }

    /**
     * KKT for min ½‖V c − y‖² s.t. p'(g) ≥ 0 on the grid (V the monomial Vandermonde): stationarity
     * Vᵀ(V c − y) = Σ λ_g ∇p'(g) over the grid points where the derivative is zero, with λ ≥ 0. With
     * feasibility (checked separately) these are sufficient for optimality of a convex QP.
     */
    private static void assertKkt(double[] x, double[] y, MonotonicFit.Fit fit, double relativeTolerance) {
        double[] c = fit.coefficients();
        int n = c.length;
        double[] residual = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            residual[i] = polyval(c, x[i]) - y[i];
        }
        double[] gradient = new double[n];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < x.length; i++) {
                gradient[p] += Math.pow(x[i], p) * residual[i];
            }
        }
        List<double[]> active = new ArrayList<>();
        for (double g : MonotonicFit.constraintGrid()) {
            if (derivative(c, g) <= 1e-8 * derivativeScale(c)) {
                double[] row = new double[n];
                for (int p = 1; p < n; p++) {
                    row[p] = p * Math.pow(g, p - 1);
                }
                active.add(row);
            }
        }
        double gradientNorm = norm(gradient);
        if (active.isEmpty()) {
            assertTrue(gradientNorm <= relativeTolerance * (1 + norm(y)), "no active constraint but gradient " + gradientNorm);
            return;
        }
        // A certificate is checked here, not trusted: any λ with λ ≥ 0 and a small stationarity residual,
        // both recomputed below, proves optimality. So the search for it may use the production NNLS: a fault
        // there could only fail this test, never pass it wrongly. λ need not be unique (a constant fit makes
        // every grid point active).
        int k = active.size();
        double[][] transposed = new double[n][k];
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < n; p++) {
                transposed[p][a] = active.get(a)[p];
            }
        }
        double[] lambda = Nnls.solve(transposed, gradient);
        double[] combination = new double[n];
        for (int a = 0; a < k; a++) {
            assertTrue(lambda[a] >= 0, "negative multiplier " + lambda[a]);
            for (int p = 0; p < n; p++) {
                combination[p] += lambda[a] * active.get(a)[p];
            }
        }
        double residual2 = 0;
        for (int p = 0; p < n; p++) {
            residual2 += (combination[p] - gradient[p]) * (combination[p] - gradient[p]);
        }
        assertTrue(Math.sqrt(residual2) <= relativeTolerance * gradientNorm + 1e-13,
                "no non-negative multipliers: stationarity residual " + Math.sqrt(residual2) + " vs gradient " + gradientNorm);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Ordinary least squares of degree 7 by normal equations in 60-digit decimals: slow, simple, exact enough. */
    private static double[] olsCoefficients(double[] x, double[] y) {
        MathContext mc = new MathContext(60);
        int n = 8;
        BigDecimal[][] a = new BigDecimal[n][n + 1];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q <= n; q++) {
                a[p][q] = BigDecimal.ZERO;
            }
        }
        for (int i = 0; i < x.length; i++) {
            BigDecimal xi = new BigDecimal(x[i]);
            BigDecimal[] powers = new BigDecimal[2 * n];
            powers[0] = BigDecimal.ONE;
            for (int p = 1; p < 2 * n; p++) {
                powers[p] = powers[p - 1].multiply(xi, mc);
            }
            for (int p = 0; p < n; p++) {
                for (int q = 0; q < n; q++) {
                    a[p][q] = a[p][q].add(powers[p + q], mc);
                }
                a[p][n] = a[p][n].add(powers[p].multiply(new BigDecimal(y[i]), mc), mc);
            }
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) {
                if (a[i][col].abs().compareTo(a[pivot][col].abs()) > 0) {
                    pivot = i;
                }
            }
            BigDecimal[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int i = col + 1; i < n; i++) {
                BigDecimal f = a[i][col].divide(a[col][col], mc);
                for (int j = col; j <= n; j++) {
                    a[i][j] = a[i][j].subtract(f.multiply(a[col][j], mc), mc);
                }
            }
        }
        BigDecimal[] c = new BigDecimal[n];
        for (int i = n - 1; i >= 0; i--) {
            BigDecimal s = a[i][n];
            for (int j = i + 1; j < n; j++) {
                s = s.subtract(a[i][j].multiply(c[j], mc), mc);
            }
            c[i] = s.divide(a[i][i], mc);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = c[i].doubleValue();
        }
        return out;
    }

    @Test
    void theConstraintGridIsNumpysArangeZeroToPointNinetyEight() {
        double[] grid = MonotonicFit.constraintGrid();
        assertEquals(49, grid.length);
        assertEquals(0.0, grid[0]);
        assertEquals(0.96, grid[48], 1e-15);
        assertEquals(0.02, grid[1]);
    }

    @Test
    void monotonePolynomialsOfDegreeUpToSevenAreReproduced() {
        double[][] polynomials = {
                {0.7},                                   // constant
                {0.1, 0.8},                              // line
                {0.2, 0.5, 0, 1},                        // 0.2 + 0.5x + x³
                {0, 0, 0, 0, 0, 0, 0, 1},                // x⁷: derivative 0 at the grid point 0, active but met
                {0.05, 1, -1.5, 1},                      // p' = 1 − 3x + 3x², minimum 1/4 at x = 1/2
        };
        for (double[] p : polynomials) {
            double[] y = values(p, TENTHS);
            MonotonicFit.Fit fit = MonotonicFit.fit(TENTHS, y);
            assertArrayEquals(y, fit.fittedValues(), 1e-12);
            double[] expected = new double[8];
            System.arraycopy(p, 0, expected, 0, p.length);
            assertArrayEquals(expected, fit.coefficients(), 1e-7);
            assertMonotoneOnGrid(fit);
        }
    }

    @Test
    void equalsOrdinaryLeastSquaresWhenThatIsAlreadyMonotone() {
        Random random = new Random(7);
        for (int trial = 0; trial < 10; trial++) {
            double[] y = new double[TENTHS.length];
            for (int i = 0; i < y.length; i++) {
                double x = TENTHS[i];
                y[i] = 0.1 + 0.6 * x + 0.2 * x * x + 1e-4 * random.nextGaussian();
            }
            double[] ols = olsCoefficients(TENTHS, y);
            for (double g : MonotonicFit.constraintGrid()) {
                assertTrue(derivative(ols, g) > 0, "test data: least squares is not monotone at " + g);
            }
            // Noise makes the OLS polynomial differ from the data, so this is not the interpolation case.
            double misfit = 0;
            for (int i = 0; i < y.length; i++) {
                misfit = Math.max(misfit, Math.abs(polyval(ols, TENTHS[i]) - y[i]));
            }
            assertTrue(misfit > 1e-7, "test data: fit is exact");
            assertArrayEquals(values(ols, TENTHS), MonotonicFit.fit(TENTHS, y).fittedValues(), 1e-10);
        }
    }

    @Test
    void decreasingDataCollapsesToItsMean() {
        // No non-decreasing curve does better than the constant mean against strictly decreasing data
        // (isotonic regression pools them all); the constant is feasible, so it is the optimum.
        double[] y = new double[TENTHS.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = -TENTHS[i];
        }
        double[] fitted = MonotonicFit.fit(TENTHS, y).fittedValues();
        for (double v : fitted) {
            assertEquals(-0.5, v, 1e-12);
        }
    }

    @Test
    void bindingCasesSatisfyTheOptimalityConditions() {
        double[][] data = {
                {0.1, 0.3, 0.2, 0.5, 0.55, 0.5, 0.8, 0.85, 0.9},      // two dips
                {0.0, 0.0, 0.01, 0.05, 0.3, 0.7, 0.72, 0.71, 0.73},   // sigmoid with a dip at the top
                {0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8},        // a wild first point
                {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4},
        };
        for (double[] y : data) {
            MonotonicFit.Fit fit = MonotonicFit.fit(TENTHS, y);
            assertMonotoneOnGrid(fit);
            assertKkt(TENTHS, y, fit, 1e-8);
            // The fitted values are the polynomial's values at the data.
            assertArrayEquals(values(fit.coefficients(), TENTHS), fit.fittedValues(), 1e-9);
        }
    }

    @Test
    void noisyCurvesSatisfyTheOptimalityConditions() {
        Random random = new Random(42);
        for (int trial = 0; trial < 25; trial++) {
            double[] y = new double[TENTHS.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = 0.8 / (1 + Math.exp(-10 * (TENTHS[i] - 0.4))) + 0.05 * random.nextGaussian();
            }
            MonotonicFit.Fit fit = MonotonicFit.fit(TENTHS, y);
            assertMonotoneOnGrid(fit);
            assertKkt(TENTHS, y, fit, 1e-8);
        }
    }

    @Test
    void fewerPointsThanCoefficientsStillGiveTheOptimalValues() {
        double[][] xs = {{1.0 / 3, 2.0 / 3}, {0.25, 0.5, 0.75}, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, {0.5}};
        double[][] ys = {{1, 0}, {0.2, 0.9, 0.5}, {0.1, 0.3, 0.2, 0.5, 0.4, 0.6, 0.55}, {0.3}};
        for (int t = 0; t < xs.length; t++) {
            MonotonicFit.Fit fit = MonotonicFit.fit(xs[t], ys[t]);
            assertMonotoneOnGrid(fit);
            // The proximal iterations of this case stop within about 1e-8 of the optimum (see MonotonicFit).
            assertKkt(xs[t], ys[t], fit, 1e-6);
        }
        // Two points going down: the best non-decreasing pair is their mean, twice.
        assertArrayEquals(new double[] {0.5, 0.5}, MonotonicFit.fit(xs[0], ys[0]).fittedValues(), 1e-9);
        // One point: fitted exactly.
        assertArrayEquals(new double[] {0.3}, MonotonicFit.fit(xs[3], ys[3]).fittedValues(), 1e-12);
        // Already increasing and few: interpolated exactly (a monotone interpolant exists: the line).
        assertArrayEquals(new double[] {0.2, 0.4, 0.6},
                MonotonicFit.fit(new double[] {0.25, 0.5, 0.75}, new double[] {0.2, 0.4, 0.6}).fittedValues(), 1e-9);
    }

    @Test
    void applyReplacesScoresInPlaceOfTheSameKeys() {
        EvalScores raw = new EvalScores();
        double[] y = {0.1, 0.3, 0.2, 0.5, 0.55, 0.5, 0.8, 0.85, 0.9};
        List<BigDecimal> ratios = CandidateRatios.of(10);
        // Recorded out of order: the fit must pair each value with its own ratio.
        for (int i = ratios.size() - 1; i >= 0; i--) {
            raw.record("conv", ratios.get(i), y[i]);
        }
        raw.record("fc", new BigDecimal("0.5"), 0.42);
        EvalScores fitted = MonotonicFit.apply(raw);
        double[] expected = MonotonicFit.fit(TENTHS, y).fittedValues();
        assertEquals(raw.layers(), fitted.layers());
        List<RatioScore> conv = fitted.scores("conv");
        for (int i = 0; i < conv.size(); i++) {
            RatioScore entry = conv.get(i);
            assertEquals(raw.scores("conv").get(i).ratio(), entry.ratio());
            int index = ratios.indexOf(entry.ratio());
            assertEquals(expected[index], entry.score(), 1e-12);
        }
        assertEquals(0.42, fitted.score("fc", new BigDecimal("0.5")).orElseThrow(), 1e-12);
        // The raw dictionary is left alone (the driver has already saved it).
        assertEquals(0.2, raw.score("conv", new BigDecimal("0.3")).orElseThrow());
    }

    @Test
    void rejectsUnusableInput() {
        assertThrows(IllegalArgumentException.class, () -> MonotonicFit.fit(new double[] {0.1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> MonotonicFit.fit(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> MonotonicFit.fit(new double[] {0.1}, new double[] {Double.NaN}));
    }
}
