package dev.wsvd.layer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * The cost model of one layer and of the factor pair that replaces it, and the rank rules built on it.
 *
 * <h2>Formulas</h2>
 * With {@code g} groups, {@code m = Cin/g}, {@code n = Cout/g}, {@code k} the kernel size (product of the
 * kernel's axes), {@code s} the stride factor (product of the strides), {@code P} the number of output
 * positions (product of the output's spatial sizes) and {@code R} the rows per sample of a Linear layer
 * ({@link LinearGeometry#rowsPerSample()}); {@code k = s = P = 1} for a Linear layer, {@code R = 1} for a
 * convolution:
 * <ul>
 *   <li>original: params {@code g·m·n·k} (the weight tensor's element count), MACs per sample {@code params·P·R};</li>
 *   <li>pair at rank {@code r} (a multiple of {@code g}; {@code r/g} per group): params {@code r·(m + n·k)},
 *       MACs per sample {@code r·(m·s + n·k)·P·R}. The first factor (the 1x1 convolution) runs at the input
 *       resolution, which the stride factor approximates as {@code s·P} positions.</li>
 * </ul>
 * For {@code g = 1} these are exactly the reference's formulas ({@code weight_shape}-based, bias ignored),
 * which count a Linear layer once ({@code R = 1}). Every cost this class returns is per sample; the rank rules
 * below run on the reference's own counts (without {@code R}): a ratio means the same rank either way in exact
 * arithmetic, and the reference's rank at floating-point boundaries. Unlike the reference, the same formula
 * serves the rank selection and the final statistics (the reference reports the pair's MACs without the stride
 * factor).
 *
 * <h2>Ranks</h2>
 * Valid ranks are the multiples of {@link #rankStep()} (the number of groups: every group gets the same rank)
 * from {@code rankStep()} to {@link #maxRank()} ({@code g·min(m, n·k)}, the rank of each group's reshaped
 * weight matrix). The reference clamps to {@code Cin} instead; the two bounds give the same rank for every
 * ratio in [0, 1], because any rank that does not raise the cost is below both {@code m} and {@code n·k}.
 * The tighter bound matters for Linear layers with fewer outputs than inputs (a 512 -> 10 classifier has
 * rank at most 10, not 512).
 *
 * <h2>Ratios: double or exact decimal</h2>
 * The reference maps a ratio to a rank in whatever arithmetic the ratio arrives in: Python floats in manual
 * mode, {@code Decimal} in greedy selection, and the two can differ by one rank at an exact boundary
 * ({@code 40000 * 0.57} is {@code 22799.999999999996} in binary floating point). {@link #rankForRatio(double, CostUnit)}
 * reproduces the former, {@link #rankForRatio(BigDecimal, CostUnit)} and the other {@code BigDecimal}
 * methods the latter (28 significant digits, half-even, Python's default {@code Decimal} context).
 *
 * <h2>Refusals</h2>
 * A rank at or above the {@linkplain #breakEvenRank break-even rank} would not lower the chosen cost; such
 * a split is refused with a reason ({@link #refusalAt}), and a layer for which even the smallest rank does
 * not help, or a depthwise convolution, is refused outright ({@link #refusal}).
 */
public final class LayerCost {
    /** Python's default {@code decimal} context, in which the reference's greedy selection computes. */
    private static final MathContext PYTHON_DECIMAL = new MathContext(28, RoundingMode.HALF_EVEN);
    /** Rounded ratios: Python's precision, rounded up so that they map back to the rank they came from. */
    private static final MathContext ROUNDED_RATIO = new MathContext(28, RoundingMode.CEILING);

    private final LayerGeometry geometry;
    private final int groups;
    private final long inPerGroup;   // m: rows of each group's reshaped weight matrix
    private final long outPerGroup;  // n
    private final long kernelSize;   // k
    private final long strideFactor; // s
    private final long positions;    // P, or -1 when the output size is not known
    private final long rowsPerSample; // R
    private final int maxRank;

    private LayerCost(LayerGeometry geometry) {
        this.geometry = geometry;
        switch (geometry) {
            case LinearGeometry linear -> {
                groups = 1;
                inPerGroup = linear.inChannels();
                outPerGroup = linear.outChannels();
                kernelSize = 1;
                strideFactor = 1;
                positions = 1;
                rowsPerSample = linear.rowsPerSample();
            }
            case ConvGeometry conv -> {
                groups = conv.groups();
                inPerGroup = conv.inChannels() / conv.groups();
                outPerGroup = conv.outChannels() / conv.groups();
                kernelSize = product(conv.kernel());
                strideFactor = product(conv.stride());
                long[] output = conv.outputSpatial();
                positions = output.length == 0 ? -1 : product(output);
                rowsPerSample = 1;
            }
        }
        maxRank = Math.toIntExact(groups * Math.min(inPerGroup, outPerGroup * kernelSize));
    }

    /** The cost model of a layer. */
    public static LayerCost of(LayerGeometry geometry) {
        return new LayerCost(Objects.requireNonNull(geometry, "geometry"));
    }

    public LayerGeometry geometry() {
        return geometry;
    }

    /**
     * Ranks valid under a rank multiplicity are multiples of this: the least common multiple of the multiplicity and
     * the group count.
     *
     * @throws IllegalArgumentException if {@code multiplicity < 1}
     */
    public long rankStep(int multiplicity) {
        if (multiplicity < 1) {
            throw new IllegalArgumentException("rank multiplicity must be at least 1, got " + multiplicity);
        }
        return lcm(multiplicity, groups);
    }

    /** Ranks are multiples of this: the number of groups (1 for Linear and ordinary convolutions). */
    public int rankStep() {
        return groups;
    }

    /** The largest rank: {@code g·min(Cin/g, Cout/g·k)}, a full-rank split that reproduces the layer. */
    public int maxRank() {
        return maxRank;
    }

    /** Whether MACs can be computed: false for a convolution whose output size is not known. */
    public boolean knowsMacs() {
        return positions >= 0;
    }

    /** Parameters of the original weight (bias ignored). */
    public long originalParams() {
        return Math.multiplyExact(Math.multiplyExact(groups * inPerGroup, outPerGroup), kernelSize);
    }

    /** MACs of the original layer per sample. */
    public long originalMacs() {
        return original(CostUnit.MAC);
    }

    /** The original layer's cost in {@code metric} (MACs per sample). */
    public long original(CostUnit metric) {
        return perSample(referenceOriginal(metric), metric);
    }

    /** Parameters of the pair at {@code rank} (both weights, biases ignored). */
    public long params(int rank) {
        return atRank(rank, CostUnit.MEMORY);
    }

    /** MACs per sample of the pair at {@code rank}, the first factor counted at the input resolution. */
    public long macs(int rank) {
        return atRank(rank, CostUnit.MAC);
    }

    /** The pair's cost at {@code rank} in {@code metric} (MACs per sample). */
    public long atRank(int rank, CostUnit metric) {
        checkRank(rank);
        return perSample(Math.multiplyExact(rank, perRank(metric)), metric);
    }

    /** The pair's cost at {@code rank} over the original cost, in {@code metric}. */
    public double ratioAt(int rank, CostUnit metric) {
        return (double) atRank(rank, metric) / original(metric);
    }

    /**
     * The largest valid rank whose cost is at most {@code ratio} times the original cost, clamped to the
     * smallest valid rank. Matches the reference exactly, including its floating-point target
     * ({@code original * ratio} as a double), for ungrouped layers. For a grouped convolution the rank is
     * the largest multiple of the group count within the ratio (rounded down, so the ratio is never
     * exceeded), and at least the group count (one rank per group).
     *
     * @param ratio compressed over original cost, in [0, 1]
     */
    public int rankForRatio(double ratio, CostUnit metric) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("compression ratio must be in [0, 1], got " + ratio);
        }
        double target = referenceOriginal(metric) * ratio;
        long stepCost = Math.multiplyExact((long) groups, perRank(metric));
        long maxSteps = maxRank / groups;
        long steps = Math.min(maxSteps, (long) Math.floor(target / stepCost));
        // the division may land one off an exact boundary; settle it with the reference's own comparison
        while (steps > 0 && steps * stepCost > target) {
            steps--;
        }
        while (steps < maxSteps && (steps + 1) * stepCost <= target) {
            steps++;
        }
        return Math.toIntExact(Math.max(1, steps) * groups);
    }

    /**
     * The largest valid rank whose cost is at most {@code ratio} times the original cost, clamped to the
     * smallest valid rank, in the reference's {@code Decimal} arithmetic (as its greedy selection uses it).
     *
     * @param ratio compressed over original cost, in [0, 1]
     */
    public int rankForRatio(BigDecimal ratio, CostUnit metric) {
        Objects.requireNonNull(ratio, "ratio");
        if (ratio.signum() < 0 || ratio.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("compression ratio must be in [0, 1], got " + ratio);
        }
        BigDecimal target = BigDecimal.valueOf(referenceOriginal(metric)).multiply(ratio, PYTHON_DECIMAL);
        long stepCost = Math.multiplyExact((long) groups, perRank(metric));
        long steps = Math.min(maxRank / groups, target.divideToIntegralValue(BigDecimal.valueOf(stepCost)).longValueExact());
        return Math.toIntExact(Math.max(1, steps) * groups);
    }

    /** The pair's cost at the rank {@code ratio} maps to (no rounding: pass a rounded ratio for that). */
    public long compressedCost(BigDecimal ratio, CostUnit metric) {
        return atRank(rankForRatio(ratio, metric), metric);
    }

    /**
     * The ratio after rounding the rank to {@code multiplicity}, as the reference's rank rounder computes it:
     * {@code ratio} itself when the multiplicity is 1 or rounding does not move the rank, else the rounded
     * rank's cost over the original cost, to 28 significant digits. Always {@code ratio <= result <= 1}, and
     * {@link #rankForRatio(BigDecimal, CostUnit)} maps the result back to the rounded rank.
     *
     * <p>One deliberate difference: the quotient is rounded up, where the reference rounds half-even. When
     * the quotient does not terminate and rounds down, the reference maps its rounded ratio back to one rank
     * <em>below</em> the rounded rank and splits there (ResNet-18's 64 -> 64 3x3 at 0.6 with multiplicity 8:
     * rank 34 rounds to 40, {@code 40·640/36864 = 0.69444…4} maps back to 39, not a multiple of 8). Rounding
     * up keeps the rank a multiple of the multiplicity; the ratios differ only in the 28th digit.
     *
     * @throws IllegalArgumentException if {@code multiplicity < 1} or the ratio is outside [0, 1]
     */
    public BigDecimal roundedRatio(BigDecimal ratio, CostUnit metric, int multiplicity) {
        if (multiplicity < 1) {
            throw new IllegalArgumentException("rank multiplicity must be at least 1, got " + multiplicity);
        }
        int rank = rankForRatio(ratio, metric);
        int rounded = roundRank(rank, multiplicity, metric);
        if (rounded == rank) {
            return ratio;
        }
        return BigDecimal.valueOf(atRank(rounded, metric)).divide(BigDecimal.valueOf(original(metric)), ROUNDED_RATIO);
    }

    /**
     * Rounds {@code rank} up to a multiple of {@code multiplicity} (for a grouped convolution: of the least
     * common multiple of the multiplicity and the group count, so the result stays a valid rank), capped at
     * the rank for ratio 1.0 in {@code metric}, as the reference does: rounding only ever lowers compression.
     *
     * @throws IllegalArgumentException if {@code multiplicity < 1} or {@code rank} is not a valid rank
     */
    public int roundRank(int rank, int multiplicity, CostUnit metric) {
        checkRank(rank);
        long step = rankStep(multiplicity);
        if (step == groups) {
            return rank; // already a multiple of every constraint (includes multiplicity 1)
        }
        long rounded = Math.ceilDiv(rank, step) * step;
        int cap = rankForRatio(1.0, metric);
        return rounded >= cap ? cap : (int) rounded;
    }

    /**
     * Everything a rank selector needs for one layer at one candidate ratio: the rank the ratio maps to,
     * that rank rounded to {@code multiplicity}, the original and compressed costs in {@code metric}, the
     * rounded ratio, and whether the split is worth doing (with the reason when not).
     */
    public RankChoice choose(double ratio, CostUnit metric, int multiplicity) {
        int unrounded = rankForRatio(ratio, metric);
        int rank = roundRank(unrounded, multiplicity, metric);
        long originalCost = original(metric);
        long compressedCost = atRank(rank, metric);
        // The reference keeps the requested ratio when rounding did not move the rank.
        double roundedRatio = rank == unrounded ? ratio : (double) compressedCost / originalCost;
        return new RankChoice(metric, ratio, multiplicity, unrounded, rank, originalCost, compressedCost,
                roundedRatio, refusalAt(rank, metric).orElse(null));
    }

    /**
     * The smallest valid rank whose pair costs at least as much as the original in {@code metric}: every
     * rank at or above it is refused. At most {@link #maxRank()}.
     */
    public int breakEvenRank(CostUnit metric) {
        long stepCost = Math.multiplyExact((long) groups, perRank(metric));
        return Math.toIntExact(Math.ceilDiv(referenceOriginal(metric), stepCost) * groups);
    }

    /**
     * Why this layer is not worth splitting at any rank in {@code metric} (a depthwise convolution, or a
     * layer so small that even the smallest rank costs as much as the original); empty when some rank helps.
     */
    public Optional<SplitRefusal> refusal(CostUnit metric) {
        if (geometry instanceof ConvGeometry conv && conv.isDepthwise()) {
            return Optional.of(SplitRefusal.depthwise(conv));
        }
        if (breakEvenRank(metric) <= groups) {
            return Optional.of(new SplitRefusal(SplitRefusal.Kind.NO_SAVING, "not worth splitting: even the smallest rank ("
                    + groups + ") costs " + atRank(groups, metric) + " " + unit(metric)
                    + ", not less than the original layer's " + original(metric)));
        }
        return Optional.empty();
    }

    /**
     * Why splitting at {@code rank} would not lower the cost in {@code metric}; empty when it does.
     *
     * @throws IllegalArgumentException if {@code rank} is not a valid rank
     */
    public Optional<SplitRefusal> refusalAt(int rank, CostUnit metric) {
        checkRank(rank);
        Optional<SplitRefusal> layerRefusal = refusal(metric);
        if (layerRefusal.isPresent()) {
            return layerRefusal;
        }
        long compressed = atRank(rank, metric);
        long original = original(metric);
        if (compressed >= original) {
            return Optional.of(new SplitRefusal(SplitRefusal.Kind.NO_SAVING, "rank " + rank + " would cost " + compressed
                    + " " + unit(metric) + ", not less than the original layer's " + original + "; only ranks below "
                    + breakEvenRank(metric) + " make it cheaper (" + geometry + ")"));
        }
        return Optional.empty();
    }

    /**
     * Fails unless {@code rank} is a valid rank of this layer.
     *
     * @throws IllegalArgumentException naming the valid range
     */
    public void checkRank(int rank) {
        if (rank < groups || rank > maxRank || rank % groups != 0) {
            throw new IllegalArgumentException("rank " + rank + " is not valid for " + geometry + ": valid ranks are "
                    + validRanks());
        }
    }

    /** The valid ranks in words, for messages: {@code 1..64}, or {@code multiples of 4 from 4 to 64}. */
    public String validRanks() {
        return groups == 1 ? "1.." + maxRank
                : "multiples of " + groups + " (the group count, one equal rank per group) from " + groups + " to " + maxRank;
    }

    /** The original layer's cost as the reference counts it: MACs without the rows per sample. */
    private long referenceOriginal(CostUnit metric) {
        return switch (Objects.requireNonNull(metric, "metric")) {
            case MAC -> Math.multiplyExact(originalParams(), requirePositions());
            case MEMORY -> originalParams();
        };
    }

    /** A cost as the reference counts it, per sample: MACs once per row. */
    private long perSample(long referenceCost, CostUnit metric) {
        return metric == CostUnit.MAC ? Math.multiplyExact(referenceCost, rowsPerSample) : referenceCost;
    }

    /** The pair's cost per unit of rank as the reference counts it: {@code cost(r) = r · perRank}. */
    private long perRank(CostUnit metric) {
        return switch (Objects.requireNonNull(metric, "metric")) {
            case MEMORY -> Math.addExact(inPerGroup, Math.multiplyExact(outPerGroup, kernelSize));
            case MAC -> Math.multiplyExact(Math.addExact(Math.multiplyExact(inPerGroup, strideFactor),
                    Math.multiplyExact(outPerGroup, kernelSize)), requirePositions());
        };
    }

    private long requirePositions() {
        if (positions < 0) {
            throw new IllegalStateException("MACs of " + geometry + " need its output size, which is not known; "
                    + "give the input size (or run shape inference), or use the MEMORY metric");
        }
        return positions;
    }

    private static String unit(CostUnit metric) {
        return metric == CostUnit.MAC ? "MACs" : "parameters";
    }

    private static long product(int[] values) {
        long product = 1;
        for (int value : values) {
            product = Math.multiplyExact(product, value);
        }
        return product;
    }

    private static long product(long[] values) {
        long product = 1;
        for (long value : values) {
            product = Math.multiplyExact(product, value);
        }
        return product;
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
