package dev.wsvd;

import dev.wsvd.selection.SelectableLayer;
import dev.wsvd.CostMetric;
import dev.wsvd.layer.LayerCost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One candidate layer as greedy selection sees it: its costs per sample in the run's metric and the
 * reference's exact-decimal ratio &rarr; rank rules with rank rounding, all from {@link LayerCost}.
 *
 * <p><b>A deliberate fix.</b> The reference turns a rounded rank {@code r'} back into a ratio,
 * {@code Decimal(cost(r')) / Decimal(original)} rounded half-even to 28 digits, and later turns that ratio into
 * a rank again. When the quotient rounds down, the second step lands on {@code r' - 1} (a 64&rarr;64 3x3
 * convolution at 56x56, MAC metric, ratio 0.66, multiplicity 8: rank 38 rounds to 40, whose ratio
 * {@code 0.69444…4} maps back to 39), so the reference splits at a rank that is not a multiple of the
 * multiplicity, with costs other than the ones its selection used. Here the rounded ratio is rounded up in its
 * 28th digit instead ({@link LayerCost#roundedRatio}), so it maps back to {@code r'}: the rank rounding
 * produced is the rank the cost model counts and the model is split at.
 */
final class GreedyLayer implements SelectableLayer {
    private final String name;
    private final LayerCost cost;
    private final CostMetric metric;
    private final int multiplicity;

    /**
     * @param multiplicity ranks are rounded up to multiples of this
     */
    GreedyLayer(String name, LayerCost cost, CostMetric metric, int multiplicity) {
        this.name = Objects.requireNonNull(name, "name");
        this.cost = Objects.requireNonNull(cost, "cost");
        this.metric = Objects.requireNonNull(metric, "metric");
        if (multiplicity < 1) {
            throw new IllegalArgumentException("multiplicity must be at least 1, got " + multiplicity);
        }
        this.multiplicity = multiplicity;
    }

    static GreedyLayer of(PlannedLayer layer, CostMetric metric, int multiplicity) {
        return new GreedyLayer(layer.name(), layer.cost(), metric, multiplicity);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long originalCost() {
        return cost.original(metric.unit());
    }

    @Override
    public long compressedCost(BigDecimal ratio) {
        return cost.compressedCost(ratio, metric.unit());
    }

    @Override
    public BigDecimal roundedRatio(BigDecimal ratio) {
        return cost.roundedRatio(ratio, metric.unit(), multiplicity);
    }

    /**
     * The rank {@code ratio} maps to: for a candidate ratio, the unrounded rank the reference evaluates it at;
     * for a rounded ratio that selection returned, the rounded rank to split at.
     */
    int rankAt(BigDecimal ratio) {
        return cost.rankForRatio(ratio, metric.unit());
    }

    @Override
    public String toString() {
        return "GreedyLayer[" + name + ", " + metric + " " + originalCost() + "]";
    }
}
