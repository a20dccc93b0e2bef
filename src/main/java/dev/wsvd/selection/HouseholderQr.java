package dev.wsvd.selection;

/**
 * Householder QR of a small dense m×n matrix (m ≥ n), for least squares that stay accurate where
 * normal equations would square the condition number.
 */
final class HouseholderQr {

    private final int rows;
    private final int cols;
    /** Householder vectors on and below the diagonal, R strictly above it. */
    private final double[][] qr;
    private final double[] diagonal;

    HouseholderQr(double[][] a) {
        rows = a.length;
        cols = a[0].length;
        if (rows < cols) {
            throw new IllegalArgumentException("QR needs at least as many rows as columns, got " + rows + "x" + cols);
        }
        qr = new double[rows][];
        for (int i = 0; i < rows; i++) {
            if (a[i].length != cols) {
                throw new IllegalArgumentException("ragged matrix: row " + i + " has " + a[i].length + " entries, not " + cols);
            }
            qr[i] = a[i].clone();
        }
        diagonal = new double[cols];
        for (int k = 0; k < cols; k++) {
            double norm = 0;
            for (int i = k; i < rows; i++) {
                norm = Math.hypot(norm, qr[i][k]);
            }
            if (norm != 0) {
                if (qr[k][k] < 0) {
                    norm = -norm;
                }
                for (int i = k; i < rows; i++) {
                    qr[i][k] /= norm;
                }
                qr[k][k] += 1;
                for (int j = k + 1; j < cols; j++) {
                    double s = 0;
                    for (int i = k; i < rows; i++) {
                        s += qr[i][k] * qr[i][j];
                    }
                    s = -s / qr[k][k];
                    for (int i = k; i < rows; i++) {
                        qr[i][j] += s * qr[i][k];
                    }
                }
            }
            diagonal[k] = -norm;
        }
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    /**
     * Whether every diagonal entry of R exceeds {@code relativeTolerance} times the largest one, i.e. the
     * columns are numerically independent.
     */
    boolean isFullRank(double relativeTolerance) {
        double largest = 0;
        for (double d : diagonal) {
            largest = Math.max(largest, Math.abs(d));
        }
        if (largest == 0) {
            return false;
        }
        for (double d : diagonal) {
            if (Math.abs(d) <= relativeTolerance * largest) {
                return false;
            }
        }
        return true;
    }

    /** Qᵀb, length m. */
    double[] applyQTranspose(double[] b) {
        if (b.length != rows) {
            throw new IllegalArgumentException("right-hand side has " + b.length + " entries, matrix has " + rows + " rows");
        }
        double[] y = b.clone();
        for (int k = 0; k < cols; k++) {
            if (qr[k][k] == 0) {
                continue;
            }
            double s = 0;
            for (int i = k; i < rows; i++) {
                s += qr[i][k] * y[i];
            }
            s = -s / qr[k][k];
            for (int i = k; i < rows; i++) {
                y[i] += s * qr[i][k];
            }
        }
        return y;
    }

    /** x with R x = y[0..n): back substitution. */
    double[] solveR(double[] y) {
        double[] x = new double[cols];
        for (int k = cols - 1; k >= 0; k--) {
            double s = y[k];
            for (int j = k + 1; j < cols; j++) {
                s -= r(k, j) * x[j];
            }
            x[k] = s / diagonal[k];
        }
        return x;
    }

    /** y with Rᵀ y = g: forward substitution, i.e. the row vector g R⁻¹. */
    double[] solveRTranspose(double[] g) {
        double[] y = new double[cols];
        for (int k = 0; k < cols; k++) {
            double s = g[k];
            for (int j = 0; j < k; j++) {
                s -= r(j, k) * y[j];
            }
            y[k] = s / diagonal[k];
        }
        return y;
    }

    /** The least-squares solution of A x ≈ b; A must have full column rank. */
    double[] leastSquares(double[] b) {
        return solveR(applyQTranspose(b));
    }

    private double r(int i, int j) {
        return i == j ? diagonal[i] : qr[i][j];
    }
}
