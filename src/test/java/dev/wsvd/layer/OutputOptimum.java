package dev.wsvd.layer;

import dev.wsvd.linalg.Gemm;
import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

/**
 * Independent truth for the data-aware split, in f64 with row-major {@code double[]} matrices: the rank-r
 * matrix that minimises the output error on given inputs, by Eckart–Young on the outputs themselves (the SVD
 * of {@code W·X}, multiplied by {@link Gemm}, decomposed by {@link Svd}), with no Gram, Cholesky or whitening;
 * and the errors summed directly from the inputs by loops.
 *
 * <p>Inputs are stored one per row ({@code X} is {@code n x in}), as activations arrive.
 */
final class OutputOptimum {
    private OutputOptimum() {
    }

    /**
     * {@code U_r·U_rᵀ·W} with {@code U_r} the top r left singular vectors of the outputs {@code W·Xᵀ}
     * ({@code out x n}): the minimiser of {@code ||(W - W')·Xᵀ||} over rank r.
     */
    static double[] ofColumnInputs(double[] w, int out, int in, double[] x, int n, int rank) {
        double[] u;
        try (Tensor weight = Tensor.ofDoubles(Shape.of(out, in), w); Tensor inputs = Tensor.ofDoubles(Shape.of(n, in), x);
             Tensor outputs = Gemm.multiplyTransposeB(weight, inputs); SvdResult svd = Svd.thin(outputs)) {
            u = svd.u().toDoubleArray(); // out x min(out, n)
        }
        int k = Math.min(out, n);
        double[] projected = new double[out * in];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                double sum = 0;
                for (int t = 0; t < rank; t++) {
                    double coordinate = 0; // (u_tᵀ·W)_j
                    for (int s = 0; s < out; s++) {
                        coordinate += u[s * k + t] * w[s * in + j];
                    }
                    sum += u[i * k + t] * coordinate;
                }
                projected[i * in + j] = sum;
            }
        }
        return projected;
    }

    /**
     * {@code M·V_r·V_rᵀ} with {@code V_r} the top r right singular vectors of the outputs {@code X·M}
     * ({@code n x c}), for a matrix {@code M} ({@code m x c}) whose rows meet the inputs: the minimiser of
     * {@code ||X·(M - M')||} over rank r. It is the transpose of {@link #ofColumnInputs} for {@code Mᵀ}, since
     * {@code X·M = (Mᵀ·Xᵀ)ᵀ}.
     */
    static double[] ofRowInputs(double[] m, int rows, int cols, double[] x, int n, int rank) {
        return transpose(ofColumnInputs(transpose(m, rows, cols), cols, rows, x, n, rank), cols, rows);
    }

    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** {@code G = Xᵀ·X = Σ x·xᵀ} over the rows of {@code X} ({@code n x in}), by loops. */
    static double[] gram(double[] x, int n, int in) {
        double[] g = new double[in * in];
        for (int row = 0; row < n; row++) {
            for (int a = 0; a < in; a++) {
                for (int b = 0; b < in; b++) {
                    g[a * in + b] += x[row * in + a] * x[row * in + b];
                }
            }
        }
        return g;
    }

    /** {@code ||Δ·Xᵀ||²}: the squared output error of a weight change {@code Δ} ({@code out x in}), summed over the rows of X. */
    static double columnOutputError(double[] delta, int out, int in, double[] x, int n) {
        return sumOfSquares(multiplyTransposeB(delta, out, in, x, n));
    }

    /** {@code ||X·Δ||²}: the same for a change {@code Δ} ({@code m x c}) whose rows meet the inputs. */
    static double rowOutputError(double[] delta, int rows, int cols, double[] x, int n) {
        return sumOfSquares(multiply(x, n, rows, delta, cols));
    }

    /** The singular values of {@code W·Xᵀ}, by an SVD of the outputs themselves. */
    static double[] outputSpectrum(double[] w, int out, int in, double[] x, int n) {
        try (Tensor outputs = Tensor.ofDoubles(Shape.of(out, n), multiplyTransposeB(w, out, in, x, n));
             SvdResult svd = Svd.thin(outputs)) {
            return svd.singularValues();
        }
    }

    static double[] multiply(double[] a, int rows, int inner, double[] b, int cols) {
        return product(a, rows, inner, b, cols, false);
    }

    /** {@code A·Bᵀ} for {@code A} ({@code rows x inner}) and {@code B} ({@code cols x inner}). */
    static double[] multiplyTransposeB(double[] a, int rows, int inner, double[] b, int cols) {
        return product(a, rows, inner, b, cols, true);
    }

    private static double[] product(double[] a, int rows, int inner, double[] b, int cols, boolean transposeB) {
        double[] c = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int t = 0; t < inner; t++) {
                    sum += a[i * inner + t] * (transposeB ? b[j * inner + t] : b[t * cols + j]);
                }
                c[i * cols + j] = sum;
            }
        }
        return c;
    }

    static double sumOfSquares(double[] a) {
        double sum = 0;
        for (double v : a) {
            sum += v * v;
        }
        return sum;
    }

    static double[] subtract(double[] a, double[] b) {
        double[] difference = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            difference[i] = a[i] - b[i];
        }
        return difference;
    }
}
