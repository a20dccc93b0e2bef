package dev.wsvd.layer;

/**
 * What a compression ratio is measured in. Both count the weights only (no bias), as the reference does.
 */
public enum CostUnit {
    /** Multiply-accumulate operations of one forward pass over one input (batch size 1). */
    MAC,
    /** Weight parameters (elements of the weight tensors). */
    MEMORY
}
