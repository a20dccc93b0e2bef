package dev.wsvd.layer;

import java.util.Objects;
import java.util.Optional;

/**
 * What a compression ratio means for one layer: the rank it maps to and the resulting cost, as a rank
 * selector (greedy or manual) needs them. Made by {@link LayerCost#choose}. Plain data; serializes to JSON
 * as is.
 *
 * @param metric          the cost metric the ratio is measured in
 * @param requestedRatio  the ratio asked for (compressed over original cost), in [0, 1]
 * @param multiplicity    the rank multiplicity rounded to (1 = no rounding)
 * @param unroundedRank   the largest rank whose cost is within {@code requestedRatio}
 * @param rank            {@code unroundedRank} rounded up to {@code multiplicity}, capped at the rank for ratio 1.0
 * @param originalCost    the original layer's cost in {@code metric}
 * @param compressedCost  the pair's cost at {@code rank} in {@code metric}
 * @param roundedRatio    the ratio after rounding, as the reference computes it: {@code requestedRatio} when
 *                        rounding did not move the rank, else {@code compressedCost / originalCost}
 * @param refusal         why splitting at {@code rank} would not lower the cost, or null when it does
 */
public record RankChoice(CostUnit metric, double requestedRatio, int multiplicity, int unroundedRank, int rank,
                         long originalCost, long compressedCost, double roundedRatio, SplitRefusal refusal) {
    public RankChoice {
        Objects.requireNonNull(metric, "metric");
        if (rank < 1 || unroundedRank < 1) {
            throw new IllegalArgumentException("ranks must be at least 1, got " + unroundedRank + " and " + rank);
        }
    }

    /** Whether the split at {@link #rank()} lowers the cost (no refusal). */
    public boolean worthSplitting() {
        return refusal == null;
    }

    /** The refusal's sentence for the user, if any. */
    public Optional<String> refusalReason() {
        return Optional.ofNullable(refusal).map(SplitRefusal::reason);
    }

    /** The compressed over the original cost at {@link #rank()}, whatever was requested. */
    public double achievedRatio() {
        return (double) compressedCost / originalCost;
    }

    /**
     * The rank, for a caller about to split.
     *
     * @throws SplitRefusedException with the reason when the split would not lower the cost
     */
    public int requireWorthSplitting() {
        if (refusal != null) {
            throw new SplitRefusedException(refusal);
        }
        return rank;
    }
}
