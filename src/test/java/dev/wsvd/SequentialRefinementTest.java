package dev.wsvd;

import dev.wsvd.CompressionStats.CalibrationSummary;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Refinement#SEQUENTIAL} on a model small enough to redo by hand: two 8x8 MatMul layers with bias Adds, a tanh
 * between them, and the second one's output added back to the first one's (a residual stream):
 * <pre>
 *   h = W1·x + b1;  t = tanh(h);  out = W2·t + b2 + h
 * </pre>
 * The expected refit is computed here from scratch in double (moments, least squares by Gaussian elimination, the
 * rank-r truncation from the Jacobi eigenvectors of {@code W*·G·W*ᵀ}), independent of the Cholesky, LAPACK and BLAS
 * code the product uses; the product's activations come from ONNX Runtime in float32, hence the tolerances.
 */
class SequentialRefinementTest {
    private static final int D = 8;
    private static final String FIRST = "MatMul_0";
    private static final String SECOND = "MatMul_3";

    private final Random random = new Random(20261203);
    private final double[][] w1 = scaled(gaussian(D, D), 0.6);
    private final double[][] w2 = scaled(gaussian(D, D), 0.6);
    private final double[] b1 = scaled(gaussian(1, D), 0.3)[0];
    private final double[] b2 = scaled(gaussian(1, D), 0.3)[0];
    private final double[][] mixing = gaussian(D, D);

    /** The model above; weights stored in x out as MatMul reads them, rounded to float32 (what the test then uses). */
    private ModelSource model() {
        return ModelSource.of(modelBytes());
    }

    private byte[] modelBytes() {
        return modelBytes(false);
    }

    /** With {@code gemm}, the second layer is one Gemm node {@code Gemm_3} (transB, its bias as C) instead of MatMul + Add. */
    private byte[] modelBytes(boolean gemm) {
        round(w1);
        round(w2);
        roundVector(b1);
        roundVector(b2);
        TinyOnnx graph = TinyOnnx.graph()
                .input("x", "n", D)
                .initializer("w1", storedFloats(w1), D, D).initializer("b1", floats(b1), D)
                .initializer("w2", gemm ? floats(flat(w2)) : storedFloats(w2), D, D).initializer("b2", floats(b2), D)
                .node("MatMul", List.of("x", "w1"), List.of("m1"))
                .node("Add", List.of("m1", "b1"), List.of("h"))
                .node("Tanh", List.of("h"), List.of("t"));
        if (gemm) {
            graph.node("Gemm", List.of("t", "w2", "b2"), List.of("u"), "transB", 1)
                    .node("Add", List.of("u", "h"), List.of("out"));
        } else {
            graph.node("MatMul", List.of("t", "w2"), List.of("m2"))
                    .node("Add", List.of("m2", "b2"), List.of("u"))
                    .node("Add", List.of("u", "h"), List.of("out"));
        }
        return graph.output("out", "n", D).toBytes();
    }

    /** Correlated inputs with a mean: rows of {@code z·M + 0.5}, z standard normal, rounded to float32. */
    private double[][] inputs(int rows) {
        double[][] x = multiply(gaussian(rows, D), mixing);
        for (double[] row : x) {
            for (int j = 0; j < D; j++) {
                row[j] = (float) (row[j] * 0.5 + 0.5);
            }
        }
        return x;
    }

    private static WeightSvdCompressor.Builder compressor(double[][] calibration, boolean refine, String... layers) {
        WeightSvdCompressor.Builder builder = WeightSvdCompressor.builder().method(Method.DATA_AWARE)
                .calibration(Calibration.of(List.of(CalibrationInput.ofFloats("x", floats(flat(calibration)), calibration.length, D))))
                .refinement(refine ? Refinement.SEQUENTIAL : Refinement.NONE);
        for (String layer : layers) {
            builder.layerRatio(layer, 0.25); // rank 1 of 8: 1·(8 + 8) = 16 MACs of 64
        }
        return builder;
    }

    /**
     * (a) The refitted product of both layers and the model's function against the refit redone here: layer 1 on the
     * original inputs (nothing upstream), then layer 2 on the inputs the refitted layer 1 gives, with the residual
     * {@code h}'s drift in its target. Tolerance: 1e-3 relative (Frobenius) for the weights and 1e-3 of the output's
     * scale for the function; float32 activations enter moments whose inverse is taken.
     */
    @ParameterizedTest(name = "second layer a Gemm: {0}")
    @ValueSource(booleans = {false, true})
    void refitMatchesTheRefitComputedByHand(boolean gemm) throws Exception {
        ModelSource source = ModelSource.of(modelBytes(gemm));
        String secondLayer = gemm ? "Gemm_3" : SECOND;
        double[][] x = inputs(512);
        try (CompressionResult result = compressor(x, true, FIRST, secondLayer).build().compress(source);
             OnnxModel compressed = OnnxModel.read(result.toByteArray())) {
            CalibrationSummary.RefinementRun run = result.stats().calibration().refinement();
            assertEquals(2, run.passes(), "one pass per layer input");
            assertEquals(2, run.layers());
            assertEquals(1, run.residualLayers(), "the second layer adds into h; the first one's output is read twice");

            int rank = 1;
            // layer 1: x_c = x_o = x
            Refit first = refit(w1, b1, x, x, null, rank);
            double[][] hO = affine(x, w1, b1);
            double[][] hC = affine(x, first.w, first.b);
            Refit second = refit(w2, b2, tanh(hO), tanh(hC), subtract(hO, hC), rank);

            double[][] w1r = product(compressed, FIRST);
            double[][] w2r = product(compressed, secondLayer);
            double e1 = relative(w1r, first.w);
            double e2 = relative(w2r, second.w);
            System.out.printf("refit vs by hand: layer 1 %.2e, layer 2 %.2e (relative Frobenius)%n", e1, e2);
            assertTrue(e1 < 1e-3, "layer 1: " + e1);
            assertTrue(e2 < 1e-3, "layer 2: " + e2);

            double[][] test = inputs(64);
            double[][] expected = forward(test, first, second);
            double[][] actual = run(compressed, test);
            double e = relative(actual, expected);
            System.out.printf("function vs by hand: %.2e%n", e);
            assertTrue(e < 1e-3, "function: " + e);
        }
    }

    /**
     * (b) Nothing compressed upstream: the first layer alone. Its input in the partly compressed model is the original's,
     * so {@code C = G}, {@code W* = W}, and (calibration rows centred exactly, so the centred Gram is the Gram over the
     * rows and the bias correction {@code (W − W_r)·μ} is 0) the refit is the one-shot whitened split. Tolerance: 1e-5
     * relative, the float32 rounding of two factor pairs computed in double by different routes.
     */
    @Test
    void withNothingCompressedUpstreamTheRefitIsTheOneShotSplit() throws Exception {
        ModelSource source = model();
        double[][] x = inputs(256);
        double[] mean = new double[D];
        for (double[] row : x) {
            for (int j = 0; j < D; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < D; j++) {
                row[j] -= mean[j];
            }
        }
        try (CompressionResult refined = compressor(x, true, FIRST).build().compress(source);
             CompressionResult oneShot = compressor(x, false, FIRST).build().compress(source);
             OnnxModel a = OnnxModel.read(refined.toByteArray());
             OnnxModel b = OnnxModel.read(oneShot.toByteArray())) {
            assertEquals(1, refined.stats().calibration().refinement().passes());
            assertEquals(1, refined.stats().calibration().refinement().layers());
            assertEquals(0, refined.stats().calibration().refinement().residualLayers());
            assertNull(oneShot.stats().calibration().refinement());
            double e = relative(product(a, FIRST), product(b, FIRST));
            System.out.printf("refit vs one-shot with nothing upstream: %.2e%n", e);
            assertTrue(e < 1e-5, "refit differs from the one-shot split by " + e);
            double[][] test = inputs(64);
            double f = relative(run(a, test), run(b, test));
            assertTrue(f < 1e-5, "outputs differ by " + f);
        }
    }

    /**
     * (c) On inputs neither run saw, the refined model's output error (to the original's) is not worse than the one-shot
     * split's at the same ranks; the margin is printed.
     */
    @Test
    void refinementDoesNotWorsenTheHeldOutOutputError() throws Exception {
        byte[] bytes = modelBytes();
        ModelSource source = ModelSource.of(bytes);
        double[][] x = inputs(512);
        double[][] test = inputs(512);
        try (CompressionResult refined = compressor(x, true, FIRST, SECOND).build().compress(source);
             CompressionResult oneShot = compressor(x, false, FIRST, SECOND).build().compress(source);
             OnnxModel original = OnnxModel.read(bytes);
             OnnxModel a = OnnxModel.read(refined.toByteArray());
             OnnxModel b = OnnxModel.read(oneShot.toByteArray())) {
            double[][] reference = run(original, test);
            double refinedError = relative(run(a, test), reference);
            double oneShotError = relative(run(b, test), reference);
            System.out.printf("held-out relative output error: one-shot %.4f, refined %.4f%n", oneShotError, refinedError);
            assertTrue(refinedError <= oneShotError, "refined " + refinedError + " vs one-shot " + oneShotError);
            assertEquals(refined.stats().macRatio(), oneShot.stats().macRatio(), 0, "same ranks, same cost");
        }
    }

    @Test
    void refinementBelongsToTheDataAwareMethod() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> WeightSvdCompressor.builder().ratio(0.5)
                .refinement(Refinement.SEQUENTIAL).build());
        assertTrue(e.getMessage().contains("method(Method.DATA_AWARE)"), e.getMessage());
    }

    // ------------------------------------------------------------------ the refit by hand, in double

    private record Refit(double[][] w, double[] b) {
    }

    /** W* = (W·C + D)·G⁻¹, W_r = U_r·U_rᵀ·W* (U_r: leading eigenvectors of W*·G·W*ᵀ), b' = b + W·μ_o + μ_d − W_r·μ_c. */
    private static Refit refit(double[][] w, double[] b, double[][] xo, double[][] xc, double[][] drift, int rank) {
        double[] muO = mean(xo);
        double[] muC = mean(xc);
        double[][] g = covariance(xc, muC, xc, muC);
        double[][] c = covariance(xo, muO, xc, muC);
        double[][] target = multiply(w, c);
        double[] muD = new double[w.length];
        if (drift != null) {
            muD = mean(drift);
            double[][] d = covariance(drift, muD, xc, muC);
            for (int i = 0; i < target.length; i++) {
                for (int j = 0; j < D; j++) {
                    target[i][j] += d[i][j];
                }
            }
        }
        double[][] wStar = transpose(solve(g, transpose(target))); // (G⁻¹·Tᵀ)ᵀ = T·G⁻¹, G symmetric
        double[][] energy = multiply(multiply(wStar, g), transpose(wStar));
        double[][] u = leadingEigenvectors(energy, rank);
        double[][] wr = multiply(u, multiply(transpose(u), wStar));
        double[] bias = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            bias[i] = b[i] + muD[i];
            for (int j = 0; j < D; j++) {
                bias[i] += w[i][j] * muO[j] - wr[i][j] * muC[j];
            }
        }
        return new Refit(wr, bias);
    }

    private static double[][] forward(double[][] x, Refit first, Refit second) {
        double[][] h = affine(x, first.w, first.b);
        double[][] out = affine(tanh(h), second.w, second.b);
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < D; j++) {
                out[i][j] += h[i][j];
            }
        }
        return out;
    }

    /** Rows {@code W·x + b}. */
    private static double[][] affine(double[][] x, double[][] w, double[] b) {
        double[][] y = multiply(x, transpose(w));
        for (double[] row : y) {
            for (int j = 0; j < b.length; j++) {
                row[j] += b[j];
            }
        }
        return y;
    }

    private static double[] mean(double[][] rows) {
        double[] mean = new double[rows[0].length];
        for (double[] row : rows) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= rows.length;
        }
        return mean;
    }

    /** E[(a − μa)(b − μb)ᵀ]. */
    private static double[][] covariance(double[][] a, double[] muA, double[][] b, double[] muB) {
        double[][] c = new double[muA.length][muB.length];
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < muA.length; i++) {
                for (int j = 0; j < muB.length; j++) {
                    c[i][j] += (a[r][i] - muA[i]) * (b[r][j] - muB[j]) / a.length;
                }
            }
        }
        return c;
    }

    /** {@code A⁻¹·B} by Gaussian elimination with partial pivoting. */
    private static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] x = new double[n][n + m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, x[i], 0, n);
            System.arraycopy(b[i], 0, x[i], n, m);
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(x[r][col]) > Math.abs(x[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = x[col];
            x[col] = x[pivot];
            x[pivot] = swap;
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = x[r][col] / x[col][col];
                    for (int k = col; k < n + m; k++) {
                        x[r][k] -= f * x[col][k];
                    }
                }
            }
        }
        double[][] result = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                result[i][j] = x[i][n + j] / x[i][i];
            }
        }
        return result;
    }

    /** The eigenvectors of the {@code rank} largest eigenvalues of a symmetric matrix, as columns (cyclic Jacobi). */
    private static double[][] leadingEigenvectors(double[][] symmetric, int rank) {
        int n = symmetric.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = symmetric[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // A ← A·J
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // A ← Jᵀ·A
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
        double[][] u = new double[n][rank];
        for (int k = 0; k < rank; k++) {
            for (int i = 0; i < n; i++) {
                u[i][k] = v[i][order[k]];
            }
        }
        return u;
    }

    // ------------------------------------------------------------------ reading and running the models

    /** {@code second·first} of a split layer of the compressed model, {@code out x in}. */
    private static double[][] product(OnnxModel model, String layer) throws Exception {
        return multiply(weight(model, layer + ".1"), weight(model, layer + ".0"));
    }

    private static double[][] weight(OnnxModel model, String layer) throws Exception {
        try (Tensor t = model.weight(model.layer(layer))) {
            double[][] w = new double[t.rows()][t.columns()];
            for (int i = 0; i < t.rows(); i++) {
                for (int j = 0; j < t.columns(); j++) {
                    w[i][j] = t.getDouble((long) i * t.columns() + j);
                }
            }
            return w;
        }
    }

    private static double[][] run(OnnxModel model, double[][] x) throws Exception {
        float[] out = Runtime.run(model, Map.of("x", Runtime.Feed.floats(floats(flat(x)), x.length, D))).get("out");
        double[][] y = new double[x.length][D];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < D; j++) {
                y[i][j] = out[i * D + j];
            }
        }
        return y;
    }

    // ------------------------------------------------------------------ small dense helpers

    private double[][] gaussian(int rows, int columns) {
        double[][] a = new double[rows][columns];
        for (double[] row : a) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return a;
    }

    private static double[][] scaled(double[][] a, double factor) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
        return a;
    }

    private static void round(double[][] a) {
        for (double[] row : a) {
            roundVector(row);
        }
    }

    private static void roundVector(double[] a) {
        for (int j = 0; j < a.length; j++) {
            a[j] = (float) a[j];
        }
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[][] subtract(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] - b[i][j];
            }
        }
        return c;
    }

    private static double[][] tanh(double[][] a) {
        double[][] t = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[i][j] = Math.tanh(a[i][j]);
            }
        }
        return t;
    }

    private static double relative(double[][] actual, double[][] expected) {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < actual[0].length; j++) {
                difference += (actual[i][j] - expected[i][j]) * (actual[i][j] - expected[i][j]);
                norm += expected[i][j] * expected[i][j];
            }
        }
        return Math.sqrt(difference / norm);
    }

    private static double[] flat(double[][] a) {
        double[] f = new double[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, f, i * a[0].length, a[0].length);
        }
        return f;
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** {@code W} (out x in) as MatMul stores it, in x out. */
    private static float[] storedFloats(double[][] w) {
        return floats(flat(transpose(w)));
    }
}
