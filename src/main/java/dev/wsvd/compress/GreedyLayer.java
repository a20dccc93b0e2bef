package dev.wsvd.compress;

import dev.wsvd.compress.selection.SelectableLayer;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One candidate layer as greedy selection sees it: its costs in the run's metric and the reference's
 * ratio &rarr; rank rules with rank rounding.
 *
 * <p><b>A deliberate fix.</b> The reference turns a rounded rank {@code r'} back into a ratio,
 * {@code Decimal(cost(r')) / Decimal(original)} rounded to 28 digits, and later turns that ratio into a rank
 * again. When the quotient rounds down, the second step lands on {@code r' - 1} (for example a 64&rarr;64 3x3
 * convolution at 56x56, MAC metric, ratio 0.66, multiplicity 8: rank 38 rounds to 40, whose ratio
 * {@code 0.69444...4} maps back to 39), so the model is split at a rank that is not a multiple of the
 * multiplicity and costs differ from the ones the selection used. This adapter remembers the rank each
 * rounded ratio came from and uses it for both the cost and the final split.
 */
final class GreedyLayer implements SelectableLayer {
    private final String name;
    private final DecimalRanks ranks;
    private final int multiplicity;
    /** Rounded ratio &rarr; the rank it was computed from; keyed by numeric value like the eval dictionary. */
    private final ConcurrentSkipListMap<BigDecimal, Integer> roundedRanks = new ConcurrentSkipListMap<>();

    GreedyLayer(String name, DecimalRanks ranks, int multiplicity) {
        this.name = Objects.requireNonNull(name, "name");
        this.ranks = Objects.requireNonNull(ranks, "ranks");
        if (multiplicity < 1) {
            throw new IllegalArgumentException("rank multiplicity must be at least 1, got " + multiplicity);
        }
        this.multiplicity = multiplicity;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long originalCost() {
        return ranks.originalCost();
    }

    @Override
    public long compressedCost(BigDecimal ratio) {
        return ranks.cost(rankAt(ratio));
    }

    @Override
    public BigDecimal roundedRatio(BigDecimal ratio) {
        if (multiplicity == 1) {
            return ratio;
        }
        int rank = ranks.rankFor(ratio);
        int rounded = ranks.roundUp(rank, multiplicity);
        if (rounded == rank) {
            return ratio; // the reference keeps the key as it was
        }
        BigDecimal roundedRatio = ranks.ratioOf(rounded);
        roundedRanks.put(roundedRatio, rounded);
        return roundedRatio;
    }

    /** The rank a candidate is evaluated at: the ratio's rank without rounding, as in the reference. */
    int candidateRank(BigDecimal ratio) {
        return ranks.rankFor(ratio);
    }

    /**
     * The rank to split at for a ratio selection returned: the rounded rank it was computed from when it is a
     * rounded ratio, else the ratio's own rank.
     */
    int rankAt(BigDecimal ratio) {
        Integer remembered = roundedRanks.get(ratio);
        return remembered != null ? remembered : ranks.rankFor(ratio);
    }

    @Override
    public String toString() {
        return "GreedyLayer[" + name + ", original cost " + ranks.originalCost() + "]";
    }
}
