package dev.wsvd.compress;

/**
 * How auto mode hands a candidate (the original model with one layer compressed to one rank) to the
 * evaluator. Both score the same function up to float rounding; they differ in cost.
 *
 * <p>{@link #REPLACED_WEIGHT} is the default because nothing of the model is copied or serialized per candidate:
 * its cost is one weight-sized product {@code B·A}, whatever the model's size, where rewriting serializes the whole
 * model into a new buffer for every candidate (90 MB for all-MiniLM-L6-v2, 324 times in a 10-candidate run) and
 * keeps one such buffer per evaluation in flight. Rewriting evaluates the smaller split graph, which runs faster at
 * low ranks; on all-MiniLM-L6-v2 the two came out even with parallel evaluation and replacing weights was faster
 * with evaluations one after another (the demo timings in bench/README.md).
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
