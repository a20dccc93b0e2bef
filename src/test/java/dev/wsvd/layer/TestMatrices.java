package dev.wsvd.layer;

import java.util.Random;

/**
 * Matrices with known singular values and vectors, built in double precision without any SVD:
 * {@code M = Q1 · diag(sigma) · Q2ᵀ} with random orthonormal columns from Gram-Schmidt. Then the best
 * rank-r approximation is known exactly: {@code Q1[:, :r] · diag(sigma[:r]) · Q2[:, :r]ᵀ} (Eckart-Young,
 * sigma descending and distinct). Public for the tests of other packages (the CLI) that need such a matrix.
 */
public final class TestMatrices {
    final int rows;
    final int cols;
    final double[] left;   // rows x p, orthonormal columns
    final double[] sigma;  // p, descending
    final double[] right;  // cols x p, orthonormal columns

    private TestMatrices(int rows, int cols, double[] left, double[] sigma, double[] right) {
        this.rows = rows;
        this.cols = cols;
        this.left = left;
        this.sigma = sigma;
        this.right = right;
    }

    /** A random rows x cols matrix with singular values {@code sigma} (descending, at most min(rows, cols)). */
    public static TestMatrices withSpectrum(int rows, int cols, double[] sigma, Random random) {
        return new TestMatrices(rows, cols, orthonormalColumns(rows, sigma.length, random), sigma.clone(),
                orthonormalColumns(cols, sigma.length, random));
    }

    /** Singular values 1, 0.8, 0.64, ...: distinct and well separated, so truncations are unique. */
    public static double[] geometricSpectrum(int count) {
        double[] sigma = new double[count];
        for (int i = 0; i < count; i++) {
            sigma[i] = Math.pow(0.8, i);
        }
        return sigma;
    }

    /** The matrix truncated to its {@code rank} largest singular values, row-major. */
    public double[] truncated(int rank) {
        double[] m = new double[rows * cols];
        int p = sigma.length;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int t = 0; t < Math.min(rank, p); t++) {
                    sum += left[i * p + t] * sigma[t] * right[j * p + t];
                }
                m[i * cols + j] = sum;
            }
        }
        return m;
    }

    /** The whole matrix, row-major. */
    public double[] full() {
        return truncated(sigma.length);
    }

    private static double[] orthonormalColumns(int n, int p, Random random) {
        if (p > n) {
            throw new IllegalArgumentException(p + " orthonormal columns do not fit in " + n + " rows");
        }
        double[] q = new double[n * p];
        for (int col = 0; col < p; col++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) { // twice: classical Gram-Schmidt re-orthogonalised
                for (int prev = 0; prev < col; prev++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += q[i * p + prev] * v[i];
                    }
                    for (int i = 0; i < n; i++) {
                        v[i] -= dot * q[i * p + prev];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i * p + col] = v[i] / norm;
            }
        }
        return q;
    }
}
