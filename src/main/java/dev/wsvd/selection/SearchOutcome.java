package dev.wsvd.selection;

/** Why the threshold search stopped (reference {@code _evaluate_exit_condition}, checked in this order). */
public enum SearchOutcome {
    /**
     * The score window shrank to 1e-4 of the initial score range before the target was met within 0.001:
     * the target is not reachable at that precision with the evaluated ratios, and the selection is the
     * window's low end, i.e. the reachable point on the side of at least as much compression (unless the
     * low end never moved from the smallest score).
     */
    WINDOW_CLOSED,
    /** The model ratio at the window's midpoint was within 0.001 of the target; that midpoint is chosen. */
    TARGET_MET
}
