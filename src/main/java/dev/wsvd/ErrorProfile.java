package dev.wsvd;

import java.util.Arrays;

/**
 * A layer's truncation error and cost at every rank, from one SVD: what a plot of error against rank (or
 * against cost) needs. Index {@code i} holds rank {@code i + 1}; the arrays are as long as the layer's max rank.
 *
 * @param layer         the layer's name
 * @param relativeError {@code ||W - W_r||_F / ||W||_F} per rank, each in [0, 1]
 * @param params        weight elements of the split pair per rank
 * @param macs          multiply-accumulates of the split pair per rank
 * @param outputError   data-aware split: {@code ||(W - W_r)·X|| / ||W·X||} per rank on the calibration inputs, each in
 *                      [0, 1]; null for a plain split
 */
public record ErrorProfile(String layer, double[] relativeError, long[] params, long[] macs, double[] outputError) {
    /** Checks that the arrays are equally long, non-empty and in range, and copies them. */
    public ErrorProfile {
        Checks.requireText(layer, "layer name of an error profile");
        if (relativeError == null || params == null || macs == null) {
            throw new IllegalArgumentException("error profile of layer " + layer + " needs errors, params and MACs per rank");
        }
        if (relativeError.length == 0 || relativeError.length != params.length || relativeError.length != macs.length) {
            throw new IllegalArgumentException("error profile of layer " + layer + " needs one entry per rank in each array, got "
                    + relativeError.length + " errors, " + params.length + " params, " + macs.length + " MACs");
        }
        if (outputError != null && outputError.length != relativeError.length) {
            throw new IllegalArgumentException("error profile of layer " + layer + " needs one output error per rank, got "
                    + outputError.length + " for " + relativeError.length + " ranks");
        }
        outputError = outputError == null ? null : outputError.clone();
        if (outputError != null) {
            for (int i = 0; i < outputError.length; i++) {
                if (!(outputError[i] >= 0 && outputError[i] <= 1 + 1e-6)) {
                    throw new IllegalArgumentException("output error of layer " + layer + " at rank " + (i + 1)
                            + " must be in [0, 1], got " + outputError[i]);
                }
            }
        }
        relativeError = relativeError.clone();
        params = params.clone();
        macs = macs.clone();
        for (int i = 0; i < relativeError.length; i++) {
            if (!(relativeError[i] >= 0 && relativeError[i] <= 1 + 1e-6)) {
                throw new IllegalArgumentException("relative error of layer " + layer + " at rank " + (i + 1)
                        + " must be in [0, 1], got " + relativeError[i]);
            }
            Checks.requirePositive(params[i], "params of layer " + layer + " at rank " + (i + 1));
            Checks.requirePositive(macs[i], "MACs of layer " + layer + " at rank " + (i + 1));
        }
    }

    /** A plain split's profile (weight error only). */
    public ErrorProfile(String layer, double[] relativeError, long[] params, long[] macs) {
        this(layer, relativeError, params, macs, null);
    }

    /** The highest rank the profile covers. */
    public int maxRank() {
        return relativeError.length;
    }

    /** Relative error at {@code rank} (1-based). */
    public double relativeErrorAt(int rank) {
        checkRank(rank);
        return relativeError[rank - 1];
    }

    /** Weight elements of the split pair at {@code rank} (1-based). */
    public long paramsAt(int rank) {
        checkRank(rank);
        return params[rank - 1];
    }

    /** Multiply-accumulates of the split pair at {@code rank} (1-based). */
    public long macsAt(int rank) {
        checkRank(rank);
        return macs[rank - 1];
    }

    private void checkRank(int rank) {
        if (rank < 1 || rank > relativeError.length) {
            throw new IndexOutOfBoundsException("rank " + rank + " is outside 1.." + relativeError.length + " for layer " + layer);
        }
    }

    /** A copy of the relative error per rank (index {@code i} is rank {@code i + 1}). */
    @Override
    public double[] relativeError() {
        return relativeError.clone();
    }

    /** A copy of the weight elements per rank. */
    @Override
    public long[] params() {
        return params.clone();
    }

    /** A copy of the multiply-accumulates per rank. */
    @Override
    public long[] macs() {
        return macs.clone();
    }

    /** A copy of the output error per rank, or null for a plain split. */
    @Override
    public double[] outputError() {
        return outputError == null ? null : outputError.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErrorProfile that && layer.equals(that.layer) && Arrays.equals(relativeError, that.relativeError)
                && Arrays.equals(params, that.params) && Arrays.equals(macs, that.macs)
                && Arrays.equals(outputError, that.outputError);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * layer.hashCode() + Arrays.hashCode(relativeError)) + Arrays.hashCode(params))
                + Arrays.hashCode(macs)) + Arrays.hashCode(outputError);
    }

    @Override
    public String toString() {
        return "ErrorProfile[" + layer + ", ranks 1.." + relativeError.length + "]";
    }
}
