package dev.wsvd.selection;

/**
 * Non-negative least squares, min ‖A x − b‖ subject to x ≥ 0, by the active-set algorithm of Lawson and
 * Hanson (Solving Least Squares Problems, 1974, ch. 23). Sized for the tiny dense problems of the
 * monotonic fit; each step re-solves its sub-problem by QR from scratch, which is cheap here and avoids
 * accumulating update errors.
 */
final class Nnls {

    private Nnls() {
    }

    static double[] solve(double[][] a, double[] b) {
        int m = a.length;
        int n = a[0].length;
        if (b.length != m) {
            throw new IllegalArgumentException("b has " + b.length + " entries, A has " + m + " rows");
        }
        double tolerance = 1000 * Math.ulp(1.0) * Math.max(m, n) * frobenius(a) * Math.max(norm(b), Double.MIN_NORMAL);
        double[] x = new double[n];
        boolean[] passive = new boolean[n];
        int maxSteps = 30 * n + 100;
        int steps = 0;
        while (true) {
            double[] w = gradient(a, b, x);
            boolean[] rejected = new boolean[n];
            double[] z;
            while (true) {
                int t = -1;
                for (int j = 0; j < n; j++) {
                    if (!passive[j] && !rejected[j] && w[j] > tolerance && (t < 0 || w[j] > w[t])) {
                        t = j;
                    }
                }
                if (t < 0) {
                    return x;
                }
                passive[t] = true;
                z = passiveLeastSquares(a, b, passive);
                // A column that is dependent on the passive ones, or whose unconstrained coefficient is not
                // positive, cannot enter: Lawson-Hanson's test that keeps the passive set independent.
                if (z != null && z[t] > 0) {
                    break;
                }
                passive[t] = false;
                rejected[t] = true;
            }
            while (true) {
                if (++steps > maxSteps) {
                    throw new IllegalStateException("NNLS did not converge in " + maxSteps + " steps");
                }
                int blocking = -1;
                double alpha = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    if (passive[j] && z[j] <= 0) {
                        double step = x[j] / (x[j] - z[j]);
                        if (step < alpha) {
                            alpha = step;
                            blocking = j;
                        }
                    }
                }
                if (blocking < 0) {
                    x = z;
                    break;
                }
                for (int j = 0; j < n; j++) {
                    if (passive[j]) {
                        x[j] += alpha * (z[j] - x[j]);
                    }
                }
                // The blocking variable leaves exactly; any other that reached zero in rounding leaves too.
                x[blocking] = 0;
                for (int j = 0; j < n; j++) {
                    if (passive[j] && x[j] <= 0) {
                        passive[j] = false;
                        x[j] = 0;
                    }
                }
                z = passiveLeastSquares(a, b, passive);
                if (z == null) {
                    throw new IllegalStateException("NNLS: passive columns became dependent");
                }
            }
        }
    }

    /** Least squares over the passive columns, zeros elsewhere; null if those columns are dependent. */
    private static double[] passiveLeastSquares(double[][] a, double[] b, boolean[] passive) {
        int m = a.length;
        int n = passive.length;
        int count = 0;
        for (boolean p : passive) {
            if (p) {
                count++;
            }
        }
        double[] z = new double[n];
        if (count == 0) {
            return z;
        }
        if (count > m) {
            return null;
        }
        int[] index = new int[count];
        for (int j = 0, k = 0; j < n; j++) {
            if (passive[j]) {
                index[k++] = j;
            }
        }
        double[][] sub = new double[m][count];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < count; k++) {
                sub[i][k] = a[i][index[k]];
            }
        }
        HouseholderQr qr = new HouseholderQr(sub);
        if (!qr.isFullRank(1e-12)) {
            return null;
        }
        double[] solution = qr.leastSquares(b);
        for (int k = 0; k < count; k++) {
            z[index[k]] = solution[k];
        }
        return z;
    }

    private static double[] gradient(double[][] a, double[] b, double[] x) {
        int m = a.length;
        int n = x.length;
        double[] residual = new double[m];
        for (int i = 0; i < m; i++) {
            double s = b[i];
            for (int j = 0; j < n; j++) {
                s -= a[i][j] * x[j];
            }
            residual[i] = s;
        }
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += a[i][j] * residual[i];
            }
            w[j] = s;
        }
        return w;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double d : v) {
            s = Math.hypot(s, d);
        }
        return s;
    }

    static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            s = Math.hypot(s, norm(row));
        }
        return s;
    }
}
