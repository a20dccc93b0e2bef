package dev.wsvd.layer;

import java.util.Arrays;
import java.util.Objects;

/**
 * What every valid rank of a layer keeps and costs, from its one SVD: parallel arrays with one entry per
 * valid rank (every multiple of the group count up to the maximum rank), in increasing rank. Computed from
 * the spectrum and component norms alone, no factors formed, so every rank is cheap.
 *
 * <p>One array per quantity: the output error a data-aware split predicts sits beside the weight error. Reports
 * map this to their own records in one place each.
 *
 * @param ranks       the valid ranks (total over groups), increasing
 * @param weightError {@code ||W - W_r||_F / ||W||_F} of the split's approximation at each rank (each group at
 *                    {@code r/g}): for a plain split the best approximation, {@code sqrt(sum_{i>=r} s_i^2 / sum s_i^2)};
 *                    for a data-aware one its projection ({@link LayerSvd#relativeError}); 0 for an all-zero weight
 * @param outputError for a data-aware split, {@code ||(W - W_r)·X||_F / ||W·X||_F} on the inputs of its Gram at
 *                    each rank, {@code sqrt(sum_{i>=r} σ_i^2 / sum σ_i^2)} of the whitened spectrum
 *                    ({@link LayerSvd#relativeOutputError}); null for a plain split, which knows no inputs
 * @param params      parameters of the factor pair at each rank
 * @param macs        MACs per sample of the pair at each rank, or null when the layer's output size is not known
 */
public record RankProfile(int[] ranks, double[] weightError, double[] outputError, long[] params, long[] macs) {
    /** Requires one entry per rank in every array, and copies them. */
    public RankProfile {
        Objects.requireNonNull(ranks, "ranks");
        Objects.requireNonNull(weightError, "weightError");
        Objects.requireNonNull(params, "params");
        if (weightError.length != ranks.length || (outputError != null && outputError.length != ranks.length)
                || params.length != ranks.length || (macs != null && macs.length != ranks.length)) {
            throw new IllegalArgumentException("a rank profile needs one entry per rank in each array, got " + ranks.length
                    + " ranks, " + weightError.length + " weight errors, " + (outputError == null ? "no" : outputError.length)
                    + " output errors, " + params.length + " params and " + (macs == null ? "no" : macs.length) + " MACs");
        }
        ranks = ranks.clone();
        weightError = weightError.clone();
        outputError = outputError == null ? null : outputError.clone();
        params = params.clone();
        macs = macs == null ? null : macs.clone();
    }

    /** The profile of a plain split: no output error. */
    public RankProfile(int[] ranks, double[] weightError, long[] params, long[] macs) {
        this(ranks, weightError, null, params, macs);
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }

    @Override
    public double[] weightError() {
        return weightError.clone();
    }

    /** The output error at each rank, or null for a plain split. */
    @Override
    public double[] outputError() {
        return outputError == null ? null : outputError.clone();
    }

    @Override
    public long[] params() {
        return params.clone();
    }

    /** MACs per sample at each rank, or null when they are not known. */
    @Override
    public long[] macs() {
        return macs == null ? null : macs.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RankProfile that && Arrays.equals(ranks, that.ranks)
                && Arrays.equals(weightError, that.weightError) && Arrays.equals(outputError, that.outputError)
                && Arrays.equals(params, that.params)
                && Arrays.equals(macs, that.macs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ranks), Arrays.hashCode(weightError), Arrays.hashCode(outputError),
                Arrays.hashCode(params), Arrays.hashCode(macs));
    }

    @Override
    public String toString() {
        return "RankProfile[" + ranks.length + " ranks" + (ranks.length == 0 ? "" : " " + ranks[0] + ".." + ranks[ranks.length - 1])
                + (outputError == null ? "" : ", with output errors") + (macs == null ? ", MACs unknown" : "") + "]";
    }
}
