package dev.wsvd.layer;

import java.util.Arrays;
import java.util.Objects;

/**
 * What every valid rank of a layer keeps and costs, from its one SVD: parallel arrays with one entry per
 * valid rank (every multiple of the group count up to the maximum rank), in increasing rank. Computed from
 * the singular values alone, no factors formed, so every rank is cheap.
 *
 * <p>One array per quantity, so that another per-rank measure (the output error a data-aware split predicts)
 * can sit beside the weight error. Reports map this to their own records in one place each.
 *
 * @param ranks       the valid ranks (total over groups), increasing
 * @param weightError {@code ||W - W_r||_F / ||W||_F} of the best approximation at each rank (each group at
 *                    {@code r/g}): {@code sqrt(sum_{i>=r} s_i^2 / sum s_i^2)}; 0 for an all-zero weight
 * @param params      parameters of the factor pair at each rank
 * @param macs        MACs per sample of the pair at each rank, or null when the layer's output size is not known
 */
public record RankProfile(int[] ranks, double[] weightError, long[] params, long[] macs) {
    /** Requires one entry per rank in every array, and copies them. */
    public RankProfile {
        Objects.requireNonNull(ranks, "ranks");
        Objects.requireNonNull(weightError, "weightError");
        Objects.requireNonNull(params, "params");
        if (weightError.length != ranks.length || params.length != ranks.length || (macs != null && macs.length != ranks.length)) {
            throw new IllegalArgumentException("a rank profile needs one entry per rank in each array, got " + ranks.length
                    + " ranks, " + weightError.length + " errors, " + params.length + " params and "
                    + (macs == null ? "no" : macs.length) + " MACs");
        }
        ranks = ranks.clone();
        weightError = weightError.clone();
        params = params.clone();
        macs = macs == null ? null : macs.clone();
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }

    @Override
    public double[] weightError() {
        return weightError.clone();
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
                && Arrays.equals(weightError, that.weightError) && Arrays.equals(params, that.params)
                && Arrays.equals(macs, that.macs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ranks), Arrays.hashCode(weightError), Arrays.hashCode(params), Arrays.hashCode(macs));
    }

    @Override
    public String toString() {
        return "RankProfile[" + ranks.length + " ranks" + (ranks.length == 0 ? "" : " " + ranks[0] + ".." + ranks[ranks.length - 1])
                + (macs == null ? ", MACs unknown" : "") + "]";
    }
}
