package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Random;

/**
 * Independent reference arithmetic for the linear algebra tests: plain-Java matrices (row-major double[][])
 * built with known singular values, and a brute-force product. Nothing here calls BLAS or LAPACK.
 */
final class Matrices {
    private Matrices() {
    }

    /**
     * A random {@code n x n} orthogonal matrix, the product of {@code n} Householder reflections
     * {@code I - 2·v·vᵀ/(vᵀ·v)} with random Gaussian {@code v}: each reflection is orthogonal, so the product is.
     */
    static double[][] randomOrthogonal(int n, Random random) {
        double[][] q = identity(n);
        for (int r = 0; r < n; r++) {
            double[] v = new double[n];
            double norm2 = 0;
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian();
                norm2 += v[i] * v[i];
            }
            // q = q · (I - 2 v vᵀ / |v|²)
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += q[i][j] * v[j];
                }
                double scale = 2 * dot / norm2;
                for (int j = 0; j < n; j++) {
                    q[i][j] -= scale * v[j];
                }
            }
        }
        return q;
    }

    /**
     * {@code Q1 · diag(sigma) · Q2ᵀ} ({@code m x n}) for random orthogonal {@code Q1} ({@code m x m}) and
     * {@code Q2} ({@code n x n}): a matrix whose singular values are exactly {@code sigma} (up to rounding).
     */
    static double[][] withSingularValues(int m, int n, double[] sigma, Random random) {
        if (sigma.length != Math.min(m, n)) {
            throw new IllegalArgumentException("need min(m, n) singular values");
        }
        double[][] q1 = randomOrthogonal(m, random);
        double[][] q2 = randomOrthogonal(n, random);
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < sigma.length; p++) {
                    sum += q1[i][p] * sigma[p] * q2[j][p];
                }
                a[i][j] = sum;
            }
        }
        return a;
    }

    static double[][] gaussian(int m, int n, Random random) {
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return a;
    }

    static double[][] identity(int n) {
        double[][] eye = new double[n][n];
        for (int i = 0; i < n; i++) {
            eye[i][i] = 1;
        }
        return eye;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        int k = b.length;
        int n = b[0].length;
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                for (int j = 0; j < n; j++) {
                    c[i][j] += aip * b[p][j];
                }
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** {@code U · diag(s) · Vt} in double precision. */
    static double[][] reconstruct(double[][] u, double[] s, double[][] vt) {
        double[][] us = new double[u.length][s.length];
        for (int i = 0; i < u.length; i++) {
            for (int p = 0; p < s.length; p++) {
                us[i][p] = u[i][p] * s[p];
            }
        }
        return multiply(us, vt);
    }

    static double frobenius(double[][] a) {
        double sum = 0;
        for (double[] row : a) {
            for (double x : row) {
                sum += x * x;
            }
        }
        return Math.sqrt(sum);
    }

    static double frobeniusDistance(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                double d = a[i][j] - b[i][j];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /** Largest absolute entry of {@code a - b}. */
    static double maxDistance(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    static Tensor toTensor(double[][] a, DType dtype) {
        int m = a.length;
        int n = a[0].length;
        Tensor t = Tensor.allocate(dtype, Shape.of(m, n));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t.setDouble((long) i * n + j, a[i][j]);
            }
        }
        return t;
    }

    static double[][] toArray(Tensor t) {
        int m = t.rows();
        int n = t.columns();
        double[] flat = t.toDoubleArray();
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(flat, i * n, a[i], 0, n);
        }
        return a;
    }

    /** Machine epsilon (unit roundoff times two) of the type. */
    static double epsilon(DType dtype) {
        return dtype == DType.F64 ? Math.ulp(1.0) : Math.ulp(1.0f);
    }
}
