package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Settings of greedy selection, AIMET's {@code GreedySelectionParameters} plus {@code modules_to_ignore}.
 * Start from {@link #target(double)} and adjust with the {@code with…} methods.
 *
 * @param targetRatio   wanted model cost after / before, in (0, 1]
 * @param candidates    N: layers are evaluated at i/N, i = 1..N−1; at least 2 (reference default 10)
 * @param monotonicFit  whether to smooth each layer's scores with {@link MonotonicFit} first (default false)
 * @param layersToIgnore names or globs of layers never compressed (see {@link LayerPatterns}); their cost
 *                      counts as the model's fixed part
 */
public record GreedyParameters(double targetRatio, int candidates, boolean monotonicFit, List<String> layersToIgnore) {

    /** The reference's {@code num_comp_ratio_candidates} default. */
    public static final int DEFAULT_CANDIDATES = 10;

    public GreedyParameters {
        if (!(targetRatio > 0 && targetRatio <= 1)) {
            throw new IllegalArgumentException("target compression ratio must be in (0, 1] (compressed cost / original cost), got "
                    + targetRatio);
        }
        if (candidates < 2) {
            throw new IllegalArgumentException("number of compression-ratio candidates must be at least 2, got " + candidates);
        }
        layersToIgnore = List.copyOf(Objects.requireNonNull(layersToIgnore, "layersToIgnore"));
        LayerPatterns.of(layersToIgnore);
    }

    /** Reference defaults: 10 candidates, no monotonic fit, nothing ignored. */
    public static GreedyParameters target(double targetRatio) {
        return new GreedyParameters(targetRatio, DEFAULT_CANDIDATES, false, List.of());
    }

    /** A copy with N = {@code n} candidates. */
    public GreedyParameters withCandidates(int n) {
        return new GreedyParameters(targetRatio, n, monotonicFit, layersToIgnore);
    }

    /** A copy with the monotonic fit on or off. */
    public GreedyParameters withMonotonicFit(boolean fit) {
        return new GreedyParameters(targetRatio, candidates, fit, layersToIgnore);
    }

    /** A copy ignoring exactly these names or globs (replacing any earlier list). */
    public GreedyParameters withLayersToIgnore(String... patterns) {
        return new GreedyParameters(targetRatio, candidates, monotonicFit, Arrays.asList(patterns));
    }

    /** The ratios every candidate layer is evaluated at. */
    public List<BigDecimal> candidateRatios() {
        return CandidateRatios.of(candidates);
    }

    /** {@link #layersToIgnore} as matchers. */
    public LayerPatterns ignorePatterns() {
        return LayerPatterns.of(layersToIgnore);
    }
}
