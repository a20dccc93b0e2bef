package dev.wsvd;

/** How the per-layer ratios were chosen. */
public enum CompressionMode {
    /** Ratios given per layer (by name or pattern) or one ratio for every layer. */
    MANUAL,
    /** The reference's greedy selection: eval dictionary, then a binary search over the score for a target ratio. */
    AUTO
}
