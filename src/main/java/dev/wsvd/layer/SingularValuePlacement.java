package dev.wsvd.layer;

/** Where the singular values go when a factor pair is formed. Both give the same product {@code W_r}. */
public enum SingularValuePlacement {
    /** All of {@code S} in the second factor, the first is orthonormal: the reference's choice. */
    SECOND,
    /**
     * {@code sqrt(S)} on each side: both factors have the same scale, which quantizes better (neither factor
     * carries the whole dynamic range).
     */
    BALANCED,
    /** All of {@code S} in the first factor, the second is orthonormal. */
    FIRST
}
