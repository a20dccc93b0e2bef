package dev.wsvd.compress.stats;

/** The cost a compression ratio is measured in. */
public enum CostMetric {
    /** Multiply-accumulate operations of one forward pass. */
    MAC,
    /** Weight elements (biases are not counted, as in the reference). */
    MEMORY
}
