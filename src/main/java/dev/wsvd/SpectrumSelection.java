package dev.wsvd;

import dev.wsvd.layer.LayerCost;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.SpectrumAllocation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spectrum selection ({@link SelectionMode#SPECTRUM}) once the probes are scored: each candidate layer's
 * predicted error per rank, {@code err(r) = drop · tail(r) / tail(r_probe)}, and the allocation of ranks across
 * layers ({@link SpectrumAllocation}) for the target.
 *
 * <p>Why this error model: a layer's spectrum says how its error grows as its rank falls, but not what that error
 * costs the model (an FFN output layer with a large output error can matter less than a query projection with a
 * small one); one measured drop per layer supplies that weight. In a study on all-MiniLM-L6-v2 this rule came
 * within 0.002 mean cosine of interpolating the full 9-ratio sweep, and above AIMET's greedy selection on the same
 * sweep, with one ninth of the evaluations.
 */
final class SpectrumSelection {
    /** The smallest drop a probe counts: a layer whose probe lost nothing still ranks by its spectrum. */
    static final double MIN_DROP = 1e-6;

    private SpectrumSelection() {
    }

    /** The squared relative error tail of {@code svd} at {@code rank}: the output error's if it is data-aware. */
    static double squaredTail(LayerSvd svd, int rank) {
        double error = svd.isDataAware() ? svd.relativeOutputError(rank) : svd.relativeError(rank);
        return error * error;
    }

    /**
     * The allocation's view of one layer: its ranks that may be chosen (multiples of the rank step and the
     * multiplicity, cheaper than the layer) with costs and predicted errors.
     *
     * @param probeRank the rank the probe evaluated
     * @param drop      the score the probe lost, at least {@link #MIN_DROP}
     */
    static SpectrumAllocation.Layer layer(PlannedLayer planned, LayerSvd svd, CostMetric metric, int multiplicity,
                                          int probeRank, double drop) {
        LayerCost cost = planned.cost();
        long original = planned.original(metric);
        long step = lcm(cost.rankStep(), multiplicity);
        double probeTail = squaredTail(svd, probeRank);
        // a layer the probe rank reproduces exactly: any smaller rank's loss is unmeasured, so weigh it heavily
        double denominator = probeTail > 0 ? probeTail : Double.MIN_NORMAL;
        List<Integer> ranks = new ArrayList<>();
        for (long r = step; r <= cost.maxRank(); r += step) {
            if (planned.pairCost((int) r, metric) < original) {
                ranks.add((int) r);
            }
        }
        int[] allowed = new int[ranks.size()];
        long[] costs = new long[ranks.size()];
        double[] errors = new double[ranks.size()];
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] = ranks.get(i);
            costs[i] = planned.pairCost(allowed[i], metric);
            errors[i] = drop * squaredTail(svd, allowed[i]) / denominator;
        }
        return new SpectrumAllocation.Layer(planned.name(), original, allowed, costs, errors);
    }

    /**
     * Allocates ranks from the probes.
     *
     * @param probes         layer &rarr; its probe's score on the search data, every candidate present
     * @param probeRanks     layer &rarr; the rank its probe was evaluated at
     * @param searchBaseline the original model's score on the search data
     */
    static Outcome allocate(LayerInventory.Plan plan, Decompositions factors, CostMetric metric, int multiplicity,
                            double targetRatio, Map<String, Double> probes, Map<String, Integer> probeRanks,
                            double searchBaseline) {
        Map<String, Double> drops = new LinkedHashMap<>();
        List<SpectrumAllocation.Layer> layers = new ArrayList<>();
        for (PlannedLayer planned : plan.candidates()) {
            double drop = Math.max(MIN_DROP, searchBaseline - probes.get(planned.name()));
            drops.put(planned.name(), searchBaseline - probes.get(planned.name()));
            layers.add(layer(planned, factors.of(planned.name()), metric, multiplicity, probeRanks.get(planned.name()), drop));
        }
        long otherCost = plan.layers().stream().filter(l -> !l.isCandidate()).mapToLong(l -> l.original(metric)).sum();
        return new Outcome(SpectrumAllocation.allocate(layers, otherCost, targetRatio), drops);
    }

    /** The allocation and each layer's measured drop (unclamped: a negative drop means the probe scored higher). */
    record Outcome(SpectrumAllocation.Result allocation, Map<String, Double> drops) {
    }

    /** The note for a target the allocation could not reach within the tolerance, or null. */
    static String shortfall(SpectrumAllocation.Result result) {
        if (!result.reachable()) {
            return String.format(Locale.ROOT, "target ratio %.4f is not reachable: even the smallest allowed rank of every"
                    + " candidate gives %.4f, the closest point, which is chosen", result.targetRatio(), result.modelRatio());
        }
        if (!result.targetMet()) {
            return String.format(Locale.ROOT, "target ratio %.4f is not reachable within 0.001 from below with these layers"
                    + " and ranks; the closest point below it, %.4f, is chosen", result.targetRatio(), result.modelRatio());
        }
        return null;
    }

    /** The probe ratio as the eval dictionary keys it. */
    static BigDecimal probeRatio() {
        return new BigDecimal(AutoMode.PROBE_RATIO_TEXT);
    }

    /** The probes as an eval dictionary restricted to this run's candidates, in model order. */
    static EvalScores probeScores(EvalScores scores, List<String> names) {
        return AutoMode.inCandidateOrder(scores, names, List.of(probeRatio()));
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
