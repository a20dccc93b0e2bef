package dev.wsvd;

import dev.wsvd.CostMetric;

import java.util.List;
import java.util.Objects;

/**
 * Model cost before and after compression, in both metrics. As in the reference, the model cost is the sum
 * over the layers the compressor considers (every candidate layer, compressed or kept); other parameters
 * (embeddings, norms) are not counted.
 *
 * @param memoryBefore weight elements before compression, at least 1
 * @param memoryAfter  weight elements after compression
 * @param macsBefore   multiply-accumulates per forward pass before compression, at least 1
 * @param macsAfter    multiply-accumulates per forward pass after compression
 */
public record CostTotals(long memoryBefore, long memoryAfter, long macsBefore, long macsAfter) {
    /** Checks that the original costs are positive and the compressed ones not negative. */
    public CostTotals {
        Checks.requirePositive(memoryBefore, "memoryBefore");
        Checks.requireNonNegative(memoryAfter, "memoryAfter");
        Checks.requirePositive(macsBefore, "macsBefore");
        Checks.requireNonNegative(macsAfter, "macsAfter");
    }

    /** Sum of the rows' costs before and after: kept layers count at their original cost. */
    public static CostTotals sumOf(List<LayerStats> layers) {
        Objects.requireNonNull(layers, "layers");
        long memoryBefore = 0, memoryAfter = 0, macsBefore = 0, macsAfter = 0;
        for (LayerStats layer : layers) {
            memoryBefore = Math.addExact(memoryBefore, layer.paramsBefore());
            memoryAfter = Math.addExact(memoryAfter, layer.paramsAfter());
            macsBefore = Math.addExact(macsBefore, layer.macsBefore());
            macsAfter = Math.addExact(macsAfter, layer.macsAfter());
        }
        return new CostTotals(memoryBefore, memoryAfter, macsBefore, macsAfter);
    }

    /** Memory after over memory before. */
    public double memoryRatio() {
        return (double) memoryAfter / memoryBefore;
    }

    /** MACs after over MACs before. */
    public double macRatio() {
        return (double) macsAfter / macsBefore;
    }

    /** The ratio in the given metric. */
    public double ratio(CostMetric metric) {
        return switch (metric) {
            case MAC -> macRatio();
            case MEMORY -> memoryRatio();
        };
    }
}
