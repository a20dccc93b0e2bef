package dev.wsvd;

/**
 * What the data-aware method does after the ranks are chosen, before the model is written.
 */
public enum Refinement {
    /** Nothing: every split layer keeps its one-shot whitened split, made on the original model's inputs (the default). */
    NONE,
    /**
     * Refit the split Linear layers one input at a time, in graph order, on the model compressed so far: for the layers
     * reading one input, one more calibration pass runs the original and the partly compressed model side by side, and
     * each layer's rank-r factors are fitted to what the <em>original</em> layer computed from its original input (error
     * feedback), and, where its output is added to a residual stream, to that stream's drift as well; the bias absorbs
     * the change of means. Ranks do not change. Costs one calibration pass per distinct input of the split layers. Conv
     * layers keep the one-shot split. The formulas are in the README ("The data-aware method").
     */
    SEQUENTIAL
}
