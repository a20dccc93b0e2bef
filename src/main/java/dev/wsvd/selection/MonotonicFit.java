package dev.wsvd.selection;

import java.util.Arrays;
import java.util.List;

/**
 * Optional smoothing of each layer's score curve (reference step 4, {@code MonotonicIncreasingCurveFit}):
 * the least-squares polynomial with powers 0..7 in the ratio whose derivative is non-negative at the grid
 * 0, 0.02, …, 0.96 (the reference's {@code numpy.arange(0, 0.98, 0.02)}, 49 points); its values at the
 * evaluated ratios replace the scores. Real score curves are noisy and not always monotone (AIMET issue
 * #56); the threshold search assumes more compression never scores higher.
 *
 * <p>How it is solved, and where it departs from the reference:
 * <ul>
 *   <li>The reference passes the normal equations in the monomial basis to OSQP with default tolerances
 *       (1e-3), so its fitted values are approximate, and that basis is badly conditioned for degree 7 on
 *       [0, 1]. Here the same problem is written in the shifted Chebyshev basis T_j(2x − 1), which spans the
 *       same polynomials and constrains the same derivative values, and is solved exactly (to rounding) by
 *       QR and Lawson–Hanson LSI → LDP → NNLS ({@link InequalityLeastSquares}). The fitted values are thus
 *       the true optimum of the reference's problem; expect differences from AIMET's numbers up to about
 *       OSQP's tolerance.</li>
 *   <li>With fewer than 8 distinct ratios (N ≤ 8 candidates) the polynomial is not determined by the data.
 *       The fitted values at the data still are (the objective is strictly convex in them), so any optimal
 *       polynomial serves; it is found by proximal-point iterations, to about 1e-8 rather than to rounding
 *       (see {@code solveUnderdetermined}).</li>
 * </ul>
 */
public final class MonotonicFit {

    /** Degree of the fitted polynomial: powers 0..7, as in the reference's {@code range(1, 8)}. */
    public static final int DEGREE = 7;

    private static final int TERMS = DEGREE + 1;
    private static final double[] GRID = grid();
    /** Monomial coefficients of T_j(2x − 1), j = 0..7: small integers, exact in double. */
    private static final double[][] SHIFTED_CHEBYSHEV = shiftedChebyshevMonomials();

    private MonotonicFit() {
    }

    /**
     * The fit of one layer.
     *
     * @param fittedValues the polynomial's values at the input ratios, in input order
     * @param coefficients the polynomial in monomials, index = power (0..7), as the reference logs them
     */
    public record Fit(double[] fittedValues, double[] coefficients) {

        public Fit {
            fittedValues = fittedValues.clone();
            coefficients = coefficients.clone();
        }

        @Override
        public double[] fittedValues() {
            return fittedValues.clone();
        }

        @Override
        public double[] coefficients() {
            return coefficients.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fit other && Arrays.equals(fittedValues, other.fittedValues)
                    && Arrays.equals(coefficients, other.coefficients);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(fittedValues) + Arrays.hashCode(coefficients);
        }

        @Override
        public String toString() {
            return "Fit[fittedValues=" + Arrays.toString(fittedValues) + ", coefficients=" + Arrays.toString(coefficients) + "]";
        }
    }

    /** The 49 ratios where the derivative is constrained: {@code k * 0.02}, k = 0..48. */
    public static double[] constraintGrid() {
        return GRID.clone();
    }

    /** Every layer's scores replaced by the fitted values at the same ratio keys, in the same order. */
    public static EvalScores apply(EvalScores scores) {
        EvalScores fitted = new EvalScores();
        for (String layer : scores.layers()) {
            List<RatioScore> entries = scores.scores(layer);
            double[] x = new double[entries.size()];
            double[] y = new double[entries.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = entries.get(i).ratio().doubleValue();
                y[i] = entries.get(i).score();
            }
            double[] values = fit(x, y).fittedValues();
            for (int i = 0; i < x.length; i++) {
                fitted.record(layer, entries.get(i).ratio(), values[i]);
            }
        }
        return fitted;
    }

    /**
     * Fits the points (x, y).
     *
     * @throws IllegalArgumentException if the arrays differ in length, are empty or hold non-finite values
     */
    public static Fit fit(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("monotonic fit needs as many x as y values, got " + x.length + " and " + y.length);
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("monotonic fit needs at least one point");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("monotonic fit needs finite points, got (" + x[i] + ", " + y[i] + ") at " + i);
            }
        }
        double[][] design = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            design[i] = basis(x[i]);
        }
        double[][] constraints = new double[GRID.length][];
        for (int k = 0; k < GRID.length; k++) {
            constraints[k] = derivativeBasis(GRID[k]);
        }
        double[] zero = new double[GRID.length];
        double[] chebyshev = x.length >= TERMS && new HouseholderQr(design).isFullRank(1e-10)
                ? InequalityLeastSquares.solve(design, y, constraints, zero)
                : solveUnderdetermined(design, y, constraints);
        checkMonotone(chebyshev, constraints);
        double[] fitted = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            fitted[i] = InequalityLeastSquares.dot(design[i], chebyshev);
        }
        return new Fit(fitted, toMonomials(chebyshev));
    }

    /**
     * Fewer than 8 distinct ratios: the polynomial is not determined, but the fitted values at the data are
     * (the objective is strictly convex in them). LSI needs a full-rank matrix, and a ridge small enough not
     * to move the fitted values makes its R⁻¹ blow up, so instead: a small-ridge solve as a start, then
     * proximal steps min ‖E a − y‖² + μ²‖a − aₖ‖² with a moderate μ. Each step is a well-conditioned LSI
     * that keeps the constraints; a fixed point is an exact minimiser of the original problem, and the
     * warm start gets close in a few steps. The second, larger μ polishes constraint accuracy. Convergence
     * is linear, slowly so in near-degenerate cases, and steps stop once they change the values by less than
     * 1e-14: the fitted values are then within about 1e-8 of the optimum (gradient-checked in the tests),
     * against the reference's OSQP tolerance of 1e-3.
     */
    private static double[] solveUnderdetermined(double[][] design, double[] y, double[][] constraints) {
        double scale = Nnls.frobenius(design);
        double[] a = proximalStep(design, y, constraints, 1e-5 * scale, new double[TERMS]);
        a = proximalIterations(design, y, constraints, 1e-3 * scale, a, 5000);
        return proximalIterations(design, y, constraints, 1e-2 * scale, a, 100);
    }

    private static double[] proximalIterations(double[][] design, double[] y, double[][] constraints, double mu,
                                               double[] start, int maxSteps) {
        double tolerance = 1e-14 * Math.max(1, maxAbs(y));
        double[] a = start;
        double[] values = times(design, a);
        for (int step = 0; step < maxSteps; step++) {
            double[] next = proximalStep(design, y, constraints, mu, a);
            double[] nextValues = times(design, next);
            double change = 0;
            for (int i = 0; i < values.length; i++) {
                change = Math.max(change, Math.abs(nextValues[i] - values[i]));
            }
            a = next;
            values = nextValues;
            if (change <= tolerance) {
                break;
            }
        }
        // Not settled within maxSteps: the iterate is still feasible and the values change by less than the
        // last step each time, so it is kept rather than failing a whole run over a smoothing step.
        return a;
    }

    private static double[] proximalStep(double[][] design, double[] y, double[][] constraints, double mu, double[] anchor) {
        int m = design.length;
        double[][] e = Arrays.copyOf(design, m + TERMS);
        double[] f = Arrays.copyOf(y, m + TERMS);
        for (int j = 0; j < TERMS; j++) {
            e[m + j] = new double[TERMS];
            e[m + j][j] = mu;
            f[m + j] = mu * anchor[j];
        }
        return InequalityLeastSquares.solve(e, f, constraints, new double[constraints.length]);
    }

    private static double[] times(double[][] matrix, double[] v) {
        double[] out = new double[matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            out[i] = InequalityLeastSquares.dot(matrix[i], v);
        }
        return out;
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double d : v) {
            max = Math.max(max, Math.abs(d));
        }
        return max;
    }

    /** A solver fault, not a user error: the constraints are satisfiable (constants are feasible). */
    private static void checkMonotone(double[] coefficients, double[][] constraints) {
        double size = Nnls.norm(coefficients);
        for (int k = 0; k < constraints.length; k++) {
            double slope = InequalityLeastSquares.dot(constraints[k], coefficients);
            if (slope < -1e-9 * Math.max(size * Nnls.norm(constraints[k]), 1)) {
                throw new IllegalStateException("monotonic fit: derivative " + slope + " < 0 at " + GRID[k]);
            }
        }
    }

    /** T_0..T_7 at u = 2x − 1, by the three-term recurrence. */
    static double[] basis(double x) {
        double u = 2 * x - 1;
        double[] t = new double[TERMS];
        t[0] = 1;
        t[1] = u;
        for (int j = 2; j < TERMS; j++) {
            t[j] = 2 * u * t[j - 1] - t[j - 2];
        }
        return t;
    }

    /** d/dx T_j(2x − 1) = 2 j U_{j−1}(2x − 1), with U the Chebyshev polynomials of the second kind. */
    static double[] derivativeBasis(double x) {
        double u = 2 * x - 1;
        double[] second = new double[TERMS];
        second[0] = 1;
        second[1] = 2 * u;
        for (int j = 2; j < TERMS; j++) {
            second[j] = 2 * u * second[j - 1] - second[j - 2];
        }
        double[] d = new double[TERMS];
        for (int j = 1; j < TERMS; j++) {
            d[j] = 2 * j * second[j - 1];
        }
        return d;
    }

    private static double[] toMonomials(double[] chebyshev) {
        double[] monomial = new double[TERMS];
        for (int j = 0; j < TERMS; j++) {
            for (int p = 0; p < TERMS; p++) {
                monomial[p] += chebyshev[j] * SHIFTED_CHEBYSHEV[j][p];
            }
        }
        return monomial;
    }

    private static double[][] shiftedChebyshevMonomials() {
        double[][] p = new double[TERMS][TERMS];
        p[0][0] = 1;
        p[1][0] = -1;
        p[1][1] = 2;
        for (int j = 2; j < TERMS; j++) {
            // T_j = (4x − 2) T_{j−1} − T_{j−2}
            for (int k = 0; k < TERMS; k++) {
                double v = -2 * p[j - 1][k] - p[j - 2][k];
                if (k > 0) {
                    v += 4 * p[j - 1][k - 1];
                }
                p[j][k] = v;
            }
        }
        return p;
    }

    private static double[] grid() {
        // numpy.arange(0, 0.98, 0.02) has ceil(0.98 / 0.02) = 49 entries, start + k * step.
        double[] g = new double[49];
        for (int k = 0; k < g.length; k++) {
            g[k] = k * 0.02;
        }
        return g;
    }
}
