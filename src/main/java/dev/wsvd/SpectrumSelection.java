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
    /**
     * A drop below this fraction of the search baseline says nothing about smaller ranks: the layer is probed again
     * at {@link #DEEP_PROBE_RATIO_TEXT}. Without it a layer whose probe lost nothing looks free at every rank (the
     * Fashion-MNIST CNN's fc1 loses no accuracy at ratio 0.5, and was cut to rank 2 at target 0.3).
     */
    static final double NEGLIGIBLE_DROP = 1e-4;
    /** Where a layer whose first probe lost nothing is probed again: AIMET's smallest default candidate ratio. */
    static final String DEEP_PROBE_RATIO_TEXT = "0.1";

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
     * @param probes       the layer's probes: rank evaluated &rarr; score lost there, at least {@link #MIN_DROP}; the
     *                     predicted loss per unit of squared error tail is the largest any probe measured
     * @param smallestRank the smallest rank that may be chosen: the loss below the deepest probe is an extrapolation
     *                     a score need not follow (an accuracy falls off a cliff), so no rank goes below the rank of
     *                     {@link #DEEP_PROBE_RATIO_TEXT}, as AIMET's candidates do not
     */
    static SpectrumAllocation.Layer layer(PlannedLayer planned, LayerSvd svd, CostMetric metric, int multiplicity,
                                          Map<Integer, Double> probes, int smallestRank) {
        LayerCost cost = planned.cost();
        long original = planned.original(metric);
        long step = cost.rankStep(multiplicity);
        double scale = 0;
        for (Map.Entry<Integer, Double> probe : probes.entrySet()) {
            double probeTail = squaredTail(svd, probe.getKey());
            // a layer the probe rank reproduces exactly: any smaller rank's loss is unmeasured, so weigh it heavily
            scale = Math.max(scale, probe.getValue() / (probeTail > 0 ? probeTail : Double.MIN_NORMAL));
        }
        List<Integer> ranks = new ArrayList<>();
        for (long r = step; r <= cost.maxRank(); r += step) {
            if (r >= smallestRank && planned.pairCost((int) r, metric) < original) {
                ranks.add((int) r);
            }
        }
        int[] allowed = new int[ranks.size()];
        long[] costs = new long[ranks.size()];
        double[] errors = new double[ranks.size()];
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] = ranks.get(i);
            costs[i] = planned.pairCost(allowed[i], metric);
            errors[i] = scale * squaredTail(svd, allowed[i]);
        }
        return new SpectrumAllocation.Layer(planned.name(), original, allowed, costs, errors);
    }

    /**
     * Allocates ranks from the probes.
     *
     * @param probes         layer &rarr; its probe's score on the search data, every candidate present
     * @param probeRanks     layer &rarr; the rank its probe was evaluated at
     * @param deepProbes     layer &rarr; its second probe's score, for the layers probed again (see {@link #NEGLIGIBLE_DROP})
     * @param deepRanks      layer &rarr; the rank its second probe was evaluated at
     * @param smallestRanks  layer &rarr; the smallest rank it may get (its rank at {@link #DEEP_PROBE_RATIO_TEXT})
     * @param searchBaseline the original model's score on the search data
     */
    static Outcome allocate(LayerInventory.Plan plan, Decompositions factors, CostMetric metric, int multiplicity,
                            double targetRatio, Map<String, Double> probes, Map<String, Integer> probeRanks,
                            Map<String, Double> deepProbes, Map<String, Integer> deepRanks, Map<String, Integer> smallestRanks,
                            double searchBaseline) {
        Map<String, Double> drops = new LinkedHashMap<>();
        List<SpectrumAllocation.Layer> layers = new ArrayList<>();
        for (PlannedLayer planned : plan.candidates()) {
            String name = planned.name();
            drops.put(name, searchBaseline - probes.get(name));
            Map<Integer, Double> measured = new LinkedHashMap<>();
            measured.put(probeRanks.get(name), Math.max(MIN_DROP, searchBaseline - probes.get(name)));
            if (deepProbes.containsKey(name)) {
                measured.merge(deepRanks.get(name), Math.max(MIN_DROP, searchBaseline - deepProbes.get(name)), Math::max);
            }
            layers.add(layer(planned, factors.of(name), metric, multiplicity, measured, smallestRanks.get(name)));
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

    /** Whether a probe's drop is too small to scale the layer's error curve by: it is probed again deeper. */
    static boolean negligible(double drop, double searchBaseline) {
        return drop < NEGLIGIBLE_DROP * Math.max(Math.abs(searchBaseline), Double.MIN_NORMAL);
    }

    /** The probes as an eval dictionary restricted to this run's candidates, in model order. */
    static EvalScores probeScores(EvalScores scores, List<String> names) {
        return AutoMode.inCandidateOrder(scores, names, List.of(probeRatio()));
    }
}
