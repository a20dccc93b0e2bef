package dev.wsvd;

import dev.wsvd.CompressionStats.SelectionSummary;
import dev.wsvd.CompressionStats.TargetOutcome;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.GreedySelection;
import dev.wsvd.CompressionStats.LayerOutcome;

import java.util.Map;

/**
 * What a run decided for every planned layer: a rank for each layer to split, a reason for each one kept; in
 * auto mode also the eval dictionary (candidate layers and ratios, in the reference's order, or the spectrum
 * selection's probes), where the target search ended and how the ranks were chosen.
 *
 * @param ranks     layer name &rarr; rank to split at, in model order
 * @param kept      layer name &rarr; why it stays as it is
 * @param selection auto mode's greedy selection, or null (manual mode, spectrum selection)
 * @param scores    auto mode's eval dictionary, or null
 * @param target    auto mode's target outcome, or null
 * @param summary   auto mode's selection mode and evaluation counts, or null
 */
record Choices(Map<String, Integer> ranks, Map<String, LayerOutcome.Kept> kept, GreedySelection selection, EvalScores scores,
               TargetOutcome target, SelectionSummary summary) {
    Choices {
        ranks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ranks));
        kept = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kept));
    }

    /** Manual mode's choices: ranks and kept layers only. */
    static Choices manual(Map<String, Integer> ranks, Map<String, LayerOutcome.Kept> kept) {
        return new Choices(ranks, kept, null, null, null, null);
    }
}
