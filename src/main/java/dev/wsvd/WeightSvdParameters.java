package dev.wsvd;

import dev.wsvd.selection.GreedyParameters;
import dev.wsvd.CostMetric;

import java.util.Objects;

/**
 * Weight SVD settings (the reference's {@code WeightSvdParameters} plus its {@code cost_metric}): what the
 * ratios are measured in, how ranks are rounded, and how they are chosen.
 *
 * <pre>{@code
 * // manual: conv2 at 0.4, every fc layer at 0.5, ranks rounded up to multiples of 8
 * WeightSvdParameters manual = WeightSvdParameters.manual(
 *         ManualRatios.perLayer(Map.of("/conv2/Conv", 0.4, "/fc*", 0.5))).withMultiplicity(8);
 * // auto: 80% of the MACs, 10 candidates, first conv left alone, scores kept for a later run
 * WeightSvdParameters auto = WeightSvdParameters.auto(AutoSelection.of(
 *         GreedyParameters.target(0.8).withLayersToIgnore("/conv1/Conv")).withScoresFile(Path.of("scores.json")));
 * }</pre>
 *
 * @param costMetric   what a ratio measures: MACs per forward pass (the reference's default) or weight memory
 * @param multiplicity ranks are rounded up to a multiple of this (never past the rank for ratio 1); 1 = no rounding
 * @param selection    manual ratios or greedy auto mode
 * @param method       plain (AIMET's) or data-aware split
 */
record WeightSvdParameters(CostMetric costMetric, int multiplicity, RankSelection selection, Method method) {

    public WeightSvdParameters {
        Objects.requireNonNull(costMetric, "costMetric");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(selection, "selection");
        if (multiplicity < 1) {
            throw new IllegalArgumentException("rank multiplicity must be at least 1 (1 = no rounding), got " + multiplicity);
        }
    }

    /** The plain split (AIMET's). */
    WeightSvdParameters(CostMetric costMetric, int multiplicity, RankSelection selection) {
        this(costMetric, multiplicity, selection, Method.PLAIN);
    }

    /** Manual mode with these ratios; MAC metric, no rank rounding. */
    public static WeightSvdParameters manual(ManualRatios ratios) {
        return new WeightSvdParameters(CostMetric.MAC, 1, ratios);
    }

    /** Auto mode; MAC metric, no rank rounding. */
    public static WeightSvdParameters auto(AutoSelection selection) {
        return new WeightSvdParameters(CostMetric.MAC, 1, selection);
    }

    /** Auto mode with these greedy parameters and no scores file; MAC metric, no rank rounding. */
    public static WeightSvdParameters auto(GreedyParameters greedy) {
        return auto(AutoSelection.of(greedy));
    }

    /** A copy rounding ranks up to multiples of {@code m}. */
    public WeightSvdParameters withMultiplicity(int m) {
        return new WeightSvdParameters(costMetric, m, selection, method);
    }

    /** Whether this is auto mode. */
    public boolean isAuto() {
        return selection instanceof AutoSelection;
    }
}
