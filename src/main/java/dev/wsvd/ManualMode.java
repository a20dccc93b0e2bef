package dev.wsvd;

import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.CostMetric;
import dev.wsvd.layer.RankChoice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Manual mode: each layer's rank from the ratio its rule gives, by the reference's manual arithmetic (a float
 * ratio: the target cost is {@code original * ratio} in double), rounded up to the multiplicity. A ratio whose
 * rank would not make the layer cheaper is refused with the reason, where the reference would split anyway.
 */
final class ManualMode {
    private ManualMode() {
    }

    /**
     * @throws CompressionException if a rule matches no layer (a typo); the message lists the layers
     */
    static Choices choose(LayerInventory.Plan plan, ManualRatios manual, CostMetric metric, int multiplicity)
            throws CompressionException {
        Map<String, ManualRatios.Decision> decisions;
        try {
            // The ignore list was applied when the layers were planned. A rule naming a layer whose MACs are unknown
            // matches it (no "matches no layer" error): the run's note says why that layer is not split.
            decisions = new ManualRatios(manual.allLayers(), manual.rules(), List.of()).resolve(plan.allNames());
        } catch (IllegalArgumentException e) {
            throw new CompressionException(e.getMessage(), e);
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, LayerOutcome.Kept> kept = new LinkedHashMap<>();
        for (PlannedLayer layer : plan.layers()) {
            if (!layer.isCandidate()) {
                kept.put(layer.name(), layer.kept());
                continue;
            }
            switch (decisions.get(layer.name())) {
                case ManualRatios.Decision.Ignored ignored -> kept.put(layer.name(),
                        new LayerOutcome.Kept(SkipReason.IGNORED, "matches " + ignored.pattern()));
                case ManualRatios.Decision.NoRatio none -> kept.put(layer.name(), LayerOutcome.Kept.because(SkipReason.NO_RATIO_GIVEN));
                case ManualRatios.Decision.Ratio ratio -> {
                    RankChoice choice = layer.cost().choose(ratio.ratio(), metric.unit(), multiplicity);
                    if (choice.worthSplitting()) {
                        ranks.put(layer.name(), choice.rank());
                    } else {
                        kept.put(layer.name(), LayerInventory.kept(choice.refusal()));
                    }
                }
            }
        }
        return Choices.manual(ranks, kept);
    }
}
