package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of greedy selection: what to split and at which ratio, and how the search got there.
 *
 * @param layers         every candidate layer in forward order with its ratio, or empty for "leave as is"
 * @param ignoredLayers  names of the layers left out by {@link GreedyParameters#layersToIgnore()}
 * @param threshold      the score threshold selected
 * @param modelRatio     the model cost ratio (compressed / original) this selection gives
 * @param targetRatio    the ratio that was asked for
 * @param outcome        whether the target was met within 0.001 or the search stopped at the closest
 *                       point it could reach
 * @param originalCost   cost of the whole model before compression
 * @param compressedCost cost after splitting as selected
 * @param steps          the search's iterations, in order
 * @param scores         the dictionary the search ran on (after the optional fit and the rounding pass):
 *                       the reference reports this one in its statistics
 */
public record GreedySelection(List<LayerRatio> layers, List<String> ignoredLayers, double threshold,
                              double modelRatio, double targetRatio, SearchOutcome outcome, long originalCost,
                              long compressedCost, List<SearchStep> steps, EvalScores scores) {

    public GreedySelection {
        layers = List.copyOf(layers);
        ignoredLayers = List.copyOf(ignoredLayers);
        steps = List.copyOf(steps);
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(scores, "scores");
    }

    /** Whether the model ratio reached the target within the reference's 0.001. */
    public boolean targetMet() {
        return outcome == SearchOutcome.TARGET_MET;
    }

    /** The ratio selected for {@code layer}; empty if it stays unsplit or is not a candidate. */
    public Optional<BigDecimal> ratioOf(String layer) {
        return layers.stream().filter(l -> l.layer().equals(layer)).findFirst().flatMap(LayerRatio::ratio);
    }
}
