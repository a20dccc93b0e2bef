package dev.wsvd.compress;

import dev.wsvd.compress.selection.CandidateRatios;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The reference's ratio &harr; rank arithmetic in greedy mode, where ratios are Python {@code Decimal}s:
 * the target cost is {@code original * ratio} in the default decimal context (28 significant digits,
 * half-even), the rank is the largest one whose cost does not exceed it, and a rounded rank's ratio is
 * {@code Decimal(cost) / Decimal(original)} in the same context.
 *
 * <p>Costs are linear in the rank: {@code cost(r) = (r / step) * stepCost} for ranks that are multiples of
 * {@code step} (the group count; 1 for ordinary layers), so the rank is a floor division rather than the
 * reference's walk down from the maximum rank, with the same result.
 *
 * @param originalCost cost of the unsplit layer, positive
 * @param stepCost     cost of the split pair at rank {@code step}, positive
 * @param step         ranks are multiples of this, at least 1
 * @param maxRank      the largest rank, a multiple of {@code step}
 */
record DecimalRanks(long originalCost, long stepCost, int step, int maxRank) {

    DecimalRanks {
        if (originalCost <= 0 || stepCost <= 0) {
            throw new IllegalArgumentException("costs must be positive, got original " + originalCost + ", per step " + stepCost);
        }
        if (step < 1 || maxRank < step || maxRank % step != 0) {
            throw new IllegalArgumentException("max rank " + maxRank + " must be a positive multiple of the rank step " + step);
        }
    }

    /** The pair's cost at {@code rank}. */
    long cost(int rank) {
        return Math.multiplyExact(rank / step, stepCost);
    }

    /**
     * The largest rank whose cost is at most {@code original * ratio} (in 28-digit decimal arithmetic), at
     * least {@code step}: the reference's {@code calculate_rank_given_comp_ratio} for a {@code Decimal} ratio.
     */
    int rankFor(BigDecimal ratio) {
        if (ratio.signum() < 0 || ratio.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("compression ratio must be in [0, 1], got " + ratio);
        }
        BigDecimal target = BigDecimal.valueOf(originalCost).multiply(ratio, CandidateRatios.PYTHON_DECIMAL);
        long steps = target.divideToIntegralValue(BigDecimal.valueOf(stepCost)).longValue();
        steps = Math.min(steps, maxRank / step);
        return Math.toIntExact(Math.max(1, steps) * step);
    }

    /**
     * {@code Decimal(cost(rank)) / Decimal(original)} in 28-digit decimal arithmetic: the ratio the reference
     * records for a rounded rank. It can fall just below the exact quotient, so that {@link #rankFor} of it
     * gives a smaller rank than {@code rank}; callers that need the rank back keep it instead.
     */
    BigDecimal ratioOf(int rank) {
        return BigDecimal.valueOf(cost(rank)).divide(BigDecimal.valueOf(originalCost), CandidateRatios.PYTHON_DECIMAL);
    }

    /** The rank rounded up to a multiple of {@code multiplicity} (and of the step), capped at the rank for ratio 1. */
    int roundUp(int rank, int multiplicity) {
        if (multiplicity < 1) {
            throw new IllegalArgumentException("rank multiplicity must be at least 1, got " + multiplicity);
        }
        long unit = lcm(multiplicity, step);
        long rounded = Math.ceilDiv((long) rank, unit) * unit;
        int cap = rankFor(BigDecimal.ONE);
        return rounded >= cap ? cap : (int) rounded;
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return Math.multiplyExact(a / x, b);
    }
}
