package dev.wsvd;

/**
 * How auto mode chooses each layer's rank for the target model ratio.
 */
public enum SelectionMode {
    /**
     * AIMET's greedy selection: every candidate layer is evaluated at every candidate ratio (layers x
     * (candidates - 1) evaluations), then a search over a score threshold picks one ratio per layer. Exactly the
     * reference's behaviour; the default.
     */
    GREEDY,
    /**
     * One probe per layer, then ranks from the spectrum: each candidate layer is evaluated once, alone at its rank
     * for ratio 0.5, and the score it loses there (the layer's sensitivity) scales its
     * error curve ({@code err(r) = drop · tail(r) / tail(r_probe)}, {@code tail} the squared error tail of its
     * decomposition: the output error for a data-aware split, the weight error for a plain one). Ranks are then
     * allocated across layers to minimise the summed predicted error within the cost budget (a Lagrangian
     * allocation with a greedy fill), which lands the model ratio within 0.001 below the target without ever
     * exceeding it. One evaluation per layer instead of (candidates - 1), and any rank, not only the candidates'.
     */
    SPECTRUM
}
