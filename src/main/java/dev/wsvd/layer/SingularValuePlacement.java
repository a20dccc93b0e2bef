package dev.wsvd.layer;

/**
 * Where the scale of each rank-one component goes when a factor pair is formed. Every placement gives the same
 * product {@code W_r}. A plain split's components are {@code U·S·Vᵀ}: both sides orthonormal, the scale
 * {@code S}. A data-aware split's are an orthonormal basis on the layer's output side and the weight's
 * coordinates in it, whose norms are the scale ({@link LayerSvd}).
 */
public enum SingularValuePlacement {
    /**
     * All of the scale in the second factor: the reference's choice, and the plain split's default. The first
     * factor is then orthonormal for a plain split; for a data-aware one its components have unit norm.
     */
    SECOND,
    /**
     * The square root of the scale on each side: both factors have the same scale, which quantizes better
     * (neither factor carries the whole dynamic range).
     */
    BALANCED,
    /**
     * All of the scale in the first factor, the second is orthonormal: the data-aware split's own form (the
     * weight's coordinates, then the output directions, nothing rescaled), and its default.
     */
    FIRST
}
