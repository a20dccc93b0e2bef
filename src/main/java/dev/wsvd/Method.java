package dev.wsvd;

/** How each layer's weight is split. */
public enum Method {
    /**
     * AIMET's Weight SVD: the rank-r matrix nearest the weight, {@code min ||W - W_r||}. Needs no data; reproduces
     * the reference bit for bit.
     */
    PLAIN,
    /**
     * The rank-r matrix whose outputs on real inputs are nearest the layer's, {@code min ||(W - W_r)·X||}: the weight
     * whitened by the Gram of the layer's inputs, collected by running the original model over calibration inputs
     * ({@link WeightSvdCompressor.Builder#calibration}). Same factor layouts, costs and rank rules as {@link #PLAIN}.
     */
    DATA_AWARE
}
