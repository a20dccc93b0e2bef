package dev.wsvd.selection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Greedy compression-ratio selection (AIMET's {@code GreedyCompRatioSelectAlgo}, auto mode): picks one ratio
 * per layer so that the model's cost ratio meets a target, favouring layers whose score suffers least.
 *
 * <p>Use: {@link #partition} tells which layers to evaluate; the driver evaluates each at
 * {@link GreedyParameters#candidateRatios()} into an {@link EvalScores} (resuming with
 * {@link EvalScores#missing}); {@link #select} then runs the optional {@link MonotonicFit}, the
 * {@link ScoreRounding} pass and the threshold search, and returns the per-layer ratios.
 */
public final class GreedySelector {

    /** The compressible layers split by the ignore list, each in the given (forward) order. */
    public record Partition(List<SelectableLayer> candidates, List<SelectableLayer> ignored, List<String> unmatchedPatterns) {

        public Partition {
            candidates = List.copyOf(candidates);
            ignored = List.copyOf(ignored);
            unmatchedPatterns = List.copyOf(unmatchedPatterns);
        }

        /** Names of the candidate layers, in order. */
        public List<String> candidateNames() {
            return candidates.stream().map(SelectableLayer::name).toList();
        }
    }

    private final GreedyParameters parameters;

    /** A selector for these settings; it holds no other state and can be reused. */
    public GreedySelector(GreedyParameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /** The settings this selector was made with. */
    public GreedyParameters parameters() {
        return parameters;
    }

    /**
     * Splits the model's compressible layers into candidates and ignored ones.
     *
     * @throws IllegalArgumentException if two layers share a name
     */
    public Partition partition(List<? extends SelectableLayer> layers) {
        LayerPatterns ignore = parameters.ignorePatterns();
        Set<String> seen = new HashSet<>();
        List<SelectableLayer> candidates = new ArrayList<>();
        List<SelectableLayer> ignored = new ArrayList<>();
        for (SelectableLayer layer : layers) {
            if (!seen.add(layer.name())) {
                throw new IllegalArgumentException("two layers are named \"" + layer.name() + "\"");
            }
            (ignore.matches(layer.name()) ? ignored : candidates).add(layer);
        }
        return new Partition(candidates, ignored, ignore.unmatched(seen));
    }

    /**
     * Selects per-layer ratios.
     *
     * @param layers    the model's compressible layers in forward order, including those the parameters
     *                  ignore (their cost joins {@code otherCost})
     * @param otherCost cost of the rest of the model that is never a candidate (e.g. grouped convolutions);
     *                  the model's original cost is this plus every layer's original cost
     * @param scores    raw eval scores (as evaluated, before any fit) for at least every candidate layer;
     *                  scores of layers that are not candidates are not used
     * @throws IllegalArgumentException if no layer is left to compress or a candidate has no scores
     */
    public GreedySelection select(List<? extends SelectableLayer> layers, long otherCost, EvalScores scores) {
        Partition partition = partition(layers);
        if (partition.candidates().isEmpty()) {
            throw new IllegalArgumentException("no layer left to compress: " + layers.size()
                    + " compressible layers, all matched by the ignore list " + parameters.layersToIgnore());
        }
        long fixedCost = otherCost;
        for (SelectableLayer layer : partition.ignored()) {
            fixedCost = Math.addExact(fixedCost, layer.originalCost());
        }

        EvalScores used = restrict(scores, partition.candidates());
        if (parameters.monotonicFit()) {
            used = MonotonicFit.apply(used);
        }
        Map<String, SelectableLayer> byName = new LinkedHashMap<>();
        partition.candidates().forEach(l -> byName.put(l.name(), l));
        EvalScores rounded = ScoreRounding.apply(used, byName);

        CostTable table = new CostTable(partition.candidates(), rounded, fixedCost);
        ThresholdSearch.Result search = ThresholdSearch.run(table, parameters.targetRatio());

        // The reference recomputes choices and ratio at the selected threshold, which differs from the last
        // step's midpoint when the window closed.
        int[] chosen = table.choices(search.threshold());
        List<LayerRatio> ratios = new ArrayList<>();
        for (int i = 0; i < chosen.length; i++) {
            CostTable.Entry e = table.entries().get(i);
            ratios.add(new LayerRatio(e.layer().name(),
                    chosen[i] < 0 ? Optional.empty() : Optional.of(e.decreasing().get(chosen[i]).ratio())));
        }
        long compressed = table.compressedCost(chosen);
        return new GreedySelection(ratios, partition.ignored().stream().map(SelectableLayer::name).toList(),
                search.threshold(), PyFloat.trueDivide(compressed, table.originalTotal()), parameters.targetRatio(),
                search.outcome(), table.originalTotal(), compressed, search.steps(), rounded);
    }

    private static EvalScores restrict(EvalScores scores, List<SelectableLayer> candidates) {
        List<String> missing = new ArrayList<>();
        EvalScores restricted = new EvalScores();
        for (SelectableLayer layer : candidates) {
            List<RatioScore> entries = scores.scores(layer.name());
            if (entries.isEmpty()) {
                missing.add(layer.name());
            }
            entries.forEach(e -> restricted.record(layer.name(), e.ratio(), e.score()));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no eval scores for candidate layer(s) " + missing
                    + ": evaluate them first, or add them to the layers to ignore");
        }
        return restricted;
    }
}
