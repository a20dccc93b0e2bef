package dev.wsvd.layer;

import dev.wsvd.linalg.Cholesky;
import dev.wsvd.linalg.Gemm;
import dev.wsvd.linalg.Triangular;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Objects;

/**
 * The error-feedback refit of one split Linear layer whose upstream layers are already compressed: its input is now
 * {@code x_c}, no longer the original's {@code x_o}, so instead of approximating {@code W} it approximates the map
 * that best takes {@code x_c} to what the original layer computed from {@code x_o} (least squares over the
 * calibration rows, centred), plus, when its output is added to a residual stream, the residual's drift
 * {@code d = r_o − r_c}, so the layer also cancels what the earlier compressed layers left in the stream:
 * <pre>
 *   W* = (W·C + D)·G_c⁻¹          C = E[x̃_o x̃_cᵀ], D = E[d̃ x̃_cᵀ] (0 without a residual), G_c = E[x̃_c x̃_cᵀ]
 *   W_r = the data-aware (whitened) rank-r split of W* with G_c, as {@link LayerSvd} makes it
 *   b' = b + W·μ_o + μ_d − W_r·μ_c
 * </pre>
 * ({@code x̃ = x − μ}). {@code G_c⁻¹} is applied through its Cholesky factor ({@code (W·C + D)·L⁻ᵀ·L⁻¹}), shifted
 * exactly as the data-aware split shifts a singular Gram ({@link Cholesky}). With nothing compressed upstream and no
 * residual, {@code x_c = x_o}, {@code C = G_c} and {@code W* = W}: the refit is the whitened split of {@code W} by the
 * centred Gram, with the bias moved by {@code (W − W_r)·μ}. Everything is computed in F64.
 *
 * <p>Convolutions are not refitted: their per-position channel Gram does not align input with output positions
 * (kernel offsets, strides), which a residual target needs.
 */
public final class ErrorFeedback {
    private ErrorFeedback() {
    }

    /**
     * The refitted factors and the bias change.
     *
     * @param pair   the factor pair at the rank asked for; when the layer has a bias the pair's second bias is the
     *               new one, {@code b'}
     * @param offset {@code b' − b}, {@code out} (F64): for a layer without a bias of its own, what must be added to
     *               its output
     * @param target {@code W*}, {@code out x in} (F64), what the split approximates
     */
    public record Refit(FactorPair pair, Tensor offset, Tensor target) implements AutoCloseable {
        @Override
        public void close() {
            pair.close();
            offset.close();
            target.close();
        }
    }

    /**
     * Refits a Linear layer at {@code rank}.
     *
     * @param geometry the layer (Linear)
     * @param weight   {@code W}, {@code out x in}, any float type
     * @param bias     its bias ({@code out}), or null when the layer has none
     * @param moments  the centred statistics of its inputs (and residual drift), with {@code in} and {@code out} of
     *                 the layer
     * @throws IllegalArgumentException if the layer is a convolution, the shapes disagree, or a statistic or the
     *                                  result is not finite (naming what)
     */
    public static Refit refit(LayerGeometry geometry, Tensor weight, Tensor bias, FeedbackMoments moments, int rank) {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(moments, "moments");
        if (!(geometry instanceof LinearGeometry linear)) {
            throw new IllegalArgumentException("error feedback refits Linear layers only, not " + geometry);
        }
        LayerCost.of(geometry).checkRank(rank);
        WeightChecks.checkBias(geometry, bias);
        int in = linear.inChannels();
        int out = linear.outChannels();
        if (moments.compressedMean().length != in || (moments.hasResidual() && moments.driftMean().length != out)) {
            throw new IllegalArgumentException(geometry + ": the moments are of " + moments.compressedMean().length
                    + " inputs" + (moments.hasResidual() ? " and " + moments.driftMean().length + " outputs" : ""));
        }
        requireFinite(moments.covariance(), "the input covariance");
        requireFinite(moments.cross(), "the input cross moment");
        if (moments.hasResidual()) {
            requireFinite(moments.drift(), "the residual drift moment");
        }
        Tensor checked = WeightChecks.checkedComputeWeight(geometry, weight);
        try (Tensor w = checked.to(DType.F64)) {
            Tensor target = target(w, moments);
            try {
                FactorPair pair;
                try (LayerSvd svd = LayerSvd.decompose(geometry, target, bias, moments.covariance())) {
                    pair = svd.factors(rank);
                }
                try {
                    Tensor offset = offset(geometry, w, pair, moments);
                    if (pair.secondBias() == null) {
                        return new Refit(pair, offset, target);
                    }
                    FactorPair moved = new FactorPair(rank, pair.first(), pair.firstBias(), pair.second(), moved(bias, offset));
                    pair.secondBias().close();
                    return new Refit(moved, offset, target);
                } catch (RuntimeException | Error e) {
                    pair.close();
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                target.close();
                throw e;
            }
        } finally {
            if (checked != weight) {
                checked.close();
            }
        }
    }

    /** {@code W* = (W·C + D)·G_c⁻¹}, through the Cholesky factor of {@code G_c} (shifted if singular). */
    static Tensor target(Tensor w, FeedbackMoments moments) {
        try (Tensor wc = Gemm.multiply(w, moments.cross())) {
            if (moments.hasResidual()) {
                Tensor drift = moments.drift();
                for (long i = 0, n = (long) wc.rows() * wc.columns(); i < n; i++) {
                    wc.setDouble(i, wc.getDouble(i) + drift.getDouble(i));
                }
            }
            try (Cholesky cholesky = Cholesky.factor(moments.covariance());
                 Tensor half = Triangular.timesLowerTransposedInverse(wc, cholesky.lower())) {
                Tensor target = Triangular.timesLowerInverse(half, cholesky.lower());
                try {
                    requireFinite(target, "the refit target W*");
                    return target;
                } catch (RuntimeException e) {
                    target.close();
                    throw e;
                }
            }
        }
    }

    /** {@code b' − b = W·μ_o + μ_d − W_r·μ_c}. */
    private static Tensor offset(LayerGeometry geometry, Tensor w, FactorPair pair, FeedbackMoments moments) {
        int out = w.rows();
        int in = w.columns();
        double[] offset = new double[out];
        try (Tensor reconstructed = Reconstruction.weight(geometry, pair); Tensor wr = reconstructed.to(DType.F64)) {
            double[] muO = moments.originalMean();
            double[] muC = moments.compressedMean();
            for (int i = 0; i < out; i++) {
                double sum = moments.hasResidual() ? moments.driftMean()[i] : 0;
                long row = (long) i * in;
                for (int j = 0; j < in; j++) {
                    sum += w.getDouble(row + j) * muO[j] - wr.getDouble(row + j) * muC[j];
                }
                if (!Double.isFinite(sum)) {
                    throw new IllegalArgumentException(geometry + ": the refitted bias is " + sum + " at output " + i);
                }
                offset[i] = sum;
            }
        }
        return Tensor.ofDoubles(Shape.of(out), offset);
    }

    /** {@code b + offset} in the bias's type. */
    private static Tensor moved(Tensor bias, Tensor offset) {
        Tensor result = Tensor.allocate(bias.dtype() == DType.F64 ? DType.F64 : DType.F32, bias.shape());
        for (long i = 0; i < offset.shape().size(); i++) {
            result.setDouble(i, bias.getDouble(i) + offset.getDouble(i));
        }
        return result;
    }

    private static void requireFinite(Tensor tensor, String what) {
        long index = Kernels.firstNonFinite(tensor);
        if (index >= 0) {
            throw new IllegalArgumentException(what + " holds " + tensor.getDouble(index) + " at element " + index
                    + "; a refit needs finite statistics");
        }
    }
}
