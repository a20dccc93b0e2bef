package dev.wsvd.selection;

import java.util.Arrays;

/**
 * Least squares with linear inequality constraints (LSI), min ‖E x − f‖ subject to G x ≥ h, for E of full
 * column rank, by Lawson and Hanson's reduction (Solving Least Squares Problems, ch. 23): QR of E turns it
 * into least distance programming (LDP), min ‖z‖ subject to A z ≥ b, which is solved exactly through one
 * non-negative least-squares problem.
 *
 * <p>This is the same convex QP the reference hands to OSQP; solved by an active-set method it gives the
 * exact optimum (to rounding) rather than OSQP's default 1e-3 tolerances.
 */
final class InequalityLeastSquares {

    private InequalityLeastSquares() {
    }

    /**
     * @throws IllegalArgumentException if E is rank deficient or the constraints are infeasible
     */
    static double[] solve(double[][] e, double[] f, double[][] g, double[] h) {
        HouseholderQr qr = new HouseholderQr(e);
        if (!qr.isFullRank(1e-12)) {
            throw new IllegalArgumentException("least-squares matrix is rank deficient");
        }
        int n = qr.cols();
        double[] qtf = qr.applyQTranspose(f);
        double[] f1 = Arrays.copyOf(qtf, n);
        double[] unconstrained = qr.solveR(f1);
        int constraints = g.length;
        double[] slack = new double[constraints];
        boolean feasible = true;
        for (int i = 0; i < constraints; i++) {
            slack[i] = dot(g[i], unconstrained) - h[i];
            feasible &= slack[i] >= 0;
        }
        // The unconstrained optimum, when it satisfies the constraints, is the constrained one; returning it
        // as is keeps that case bit-identical to ordinary least squares.
        if (feasible) {
            return unconstrained;
        }
        // With z = R x − f1 the constraints read (G R⁻¹) z ≥ h − G R⁻¹ f1 = −slack.
        double[][] a = new double[constraints][];
        double[] b = new double[constraints];
        int kept = 0;
        for (int i = 0; i < constraints; i++) {
            double[] row = qr.solveRTranspose(g[i]);
            double scale = Nnls.norm(row);
            if (scale == 0) {
                if (-slack[i] > 0) {
                    throw new IllegalArgumentException("constraint " + i + " is infeasible (0 >= " + h[i] + ")");
                }
                continue;
            }
            // Scaling a row by a positive number leaves the feasible set alone and evens out the NNLS columns.
            for (int j = 0; j < n; j++) {
                row[j] /= scale;
            }
            a[kept] = row;
            b[kept] = -slack[i] / scale;
            kept++;
        }
        double[] z = leastDistance(Arrays.copyOf(a, kept), Arrays.copyOf(b, kept), n);
        double[] shifted = new double[n];
        for (int j = 0; j < n; j++) {
            shifted[j] = z[j] + f1[j];
        }
        return qr.solveR(shifted);
    }

    /**
     * LDP: the shortest z with A z ≥ b. By LH's theorem 23.4, with u ≥ 0 minimising ‖[Aᵀ; bᵀ] u − eₙ₊₁‖
     * and r that residual, z = −r[0..n) / r[n]; a zero residual means no z exists.
     */
    static double[] leastDistance(double[][] a, double[] b, int n) {
        int m = a.length;
        if (m == 0) {
            return new double[n];
        }
        double[][] stacked = new double[n + 1][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                stacked[j][i] = a[i][j];
            }
            stacked[n][i] = b[i];
        }
        double[] target = new double[n + 1];
        target[n] = 1;
        double[] u = Nnls.solve(stacked, target);
        double[] residual = new double[n + 1];
        for (int j = 0; j <= n; j++) {
            double s = -target[j];
            for (int i = 0; i < m; i++) {
                s += stacked[j][i] * u[i];
            }
            residual[j] = s;
        }
        if (Nnls.norm(residual) <= 1e-12 || residual[n] == 0) {
            throw new IllegalArgumentException("inequality constraints are infeasible");
        }
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
            z[j] = -residual[j] / residual[n];
        }
        return z;
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }
}
