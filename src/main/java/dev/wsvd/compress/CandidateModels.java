package dev.wsvd.compress;

/**
 * How auto mode hands a candidate (the original model with one layer compressed to one rank) to the
 * evaluator. Both score the same function up to float rounding; they differ in cost.
 */
public enum CandidateModels {
    /**
     * The original model's bytes, shared by every candidate, with the layer's weight replaced by its rank-r
     * approximation {@code W_r} when ONNX Runtime opens the session ({@code SessionOptions.addInitializer}):
     * no model copy and no serialization per candidate, one weight-sized tensor instead. Used for layers whose
     * weight is an initializer of the main graph; others fall back to {@link #REWRITTEN_GRAPH}.
     */
    REPLACED_WEIGHT,
    /** The model rewritten with the layer split into its two layers and serialized into a new buffer. */
    REWRITTEN_GRAPH
}
