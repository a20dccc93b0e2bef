package dev.wsvd;

import dev.wsvd.CostMetric;
import dev.wsvd.Evaluator;
import dev.wsvd.LayerOutcome;
import dev.wsvd.ModelSource;
import dev.wsvd.SkipReason;
import dev.wsvd.json.JsonDocuments;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.EvalTask;
import dev.wsvd.selection.GreedyParameters;
import dev.wsvd.selection.GreedySelection;
import dev.wsvd.selection.GreedySelector;
import dev.wsvd.selection.LayerRatio;
import dev.wsvd.selection.SearchOutcome;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Auto mode: the eval dictionary (resumed from the scores file, missing candidates evaluated), then the
 * reference's greedy selection on it ({@link GreedySelector}), then each chosen ratio's rank.
 */
final class AutoMode {
    private final AutoSelection auto;
    private final CostMetric metric;
    private final int multiplicity;
    private final Evaluator evaluator;
    private final CompressionRun.Settings settings;
    private final PhaseTimer timer;
    private final ProgressListener progress;
    private int parallelism = 1;

    AutoMode(AutoSelection auto, CostMetric metric, int multiplicity, Evaluator evaluator, CompressionRun.Settings settings,
             PhaseTimer timer) {
        this.auto = auto;
        this.metric = metric;
        this.multiplicity = multiplicity;
        this.evaluator = evaluator;
        this.settings = settings;
        this.timer = timer;
        this.progress = settings.progress();
    }

    /** Candidate evaluations that ran at a time (1 when none ran). */
    int parallelism() {
        return parallelism;
    }

    /**
     * Chooses ranks for the plan's candidates; every candidate must be decomposed in {@code factors}.
     *
     * @param source the model (for candidates built by rewriting)
     * @param input  its bytes or file as given (for candidates built by replacing a weight)
     */
    Choices choose(LayerInventory.Plan plan, Decompositions factors, OnnxModel source, ModelSource input)
            throws CompressionException, InterruptedException {
        List<String> names = plan.candidates().stream().map(PlannedLayer::name).toList();
        Map<String, GreedyLayer> layers = new LinkedHashMap<>();
        plan.candidates().forEach(layer -> layers.put(layer.name(), GreedyLayer.of(layer, metric, multiplicity)));
        List<BigDecimal> ratios = auto.greedy().candidateRatios();

        EvalScores scores = loadScores(plan);
        List<EvalTask> tasks = scores.missing(names, ratios);
        if (auto.scoresFile() != null && tasks.size() < names.size() * ratios.size()) {
            progress.note("resuming from " + auto.scoresFile() + ": " + (names.size() * ratios.size() - tasks.size()) + " of "
                    + names.size() * ratios.size() + " candidate scores found, " + tasks.size() + " to evaluate");
        }
        if (!tasks.isEmpty()) {
            List<dev.wsvd.onnx.OnnxLayer> swept = tasks.stream().map(EvalTask::layer).distinct()
                    .map(name -> plan.layer(name).layer()).toList();
            try (CandidateFactory candidates = new CandidateFactory(source, input, settings.candidateModels(), evaluator, swept)) {
                sweep(tasks, scores, plan, layers, factors, candidates, names.size(), ratios.size());
            }
        }
        // The sweep timed itself as rewriting and evaluation; selection is what comes after it.
        long started = System.nanoTime();
        EvalScores ordered = inCandidateOrder(scores, names, ratios);
        long otherCost = plan.layers().stream().filter(l -> !l.isCandidate()).mapToLong(l -> l.original(metric)).sum();
        GreedySelection selection;
        try {
            // The ignore list was applied when the layers were planned: the selector sees the candidates only.
            GreedyParameters greedy = auto.greedy().withLayersToIgnore();
            selection = new GreedySelector(greedy).select(List.copyOf(layers.values()), otherCost, ordered);
        } catch (IllegalArgumentException e) {
            throw new CompressionException("greedy selection on " + source.label() + " failed: " + e.getMessage(), e);
        }
        Choices choices = choices(plan, layers, selection, ordered);
        if (multiplicity > 1 && !selection.targetMet()) {
            choices = filled(plan, choices, ordered);
        }
        if (!choices.selection().targetMet()) {
            progress.note(String.format(Locale.ROOT, "target ratio %.4f is not reachable within 0.001 with these candidates;"
                    + " the closest point reached is %.4f", choices.selection().targetRatio(), choices.selection().modelRatio()));
        }
        timer.add(PhaseTimer.Phase.SELECTION, System.nanoTime() - started);
        return choices;
    }

    private void sweep(List<EvalTask> tasks, EvalScores scores, LayerInventory.Plan plan, Map<String, GreedyLayer> layers,
                       Decompositions factors, CandidateFactory candidates, int layerCount, int ratioCount)
            throws CompressionException, InterruptedException {
        int asked = settings.evaluationParallelism() == 0 ? settings.threads() : settings.evaluationParallelism();
        parallelism = evaluator.supportsConcurrentEvaluation() ? Math.max(1, Math.min(asked, tasks.size())) : 1;
        EvalSweep.Scorer scorer = (task, threads) -> {
            int rank = layers.get(task.layer()).rankAt(task.ratio()); // unrounded, as the reference evaluates
            long building = System.nanoTime();
            try (CandidateFactory.Candidate candidate = candidates.build(plan.layer(task.layer()), factors.of(task.layer()), rank)) {
                long evaluating = System.nanoTime();
                timer.addSweepRewriting(evaluating - building);
                try {
                    return evaluator.evaluate(candidate.source(), threads).value();
                } finally {
                    timer.addSweepEvaluation(System.nanoTime() - evaluating);
                }
            }
        };
        long started = System.nanoTime();
        EvalSweep.run(tasks, scorer, scores, new EvalSweep.Settings(parallelism, settings.threads(), auto.scoresFile(),
                Decompositions::singleThreadedBlas), progress, "evaluating candidates (" + layerCount + " layers x " + ratioCount
                + " ratios" + (parallelism > 1 ? ", " + parallelism + " at a time" : "") + ")");
        timer.endSweep(System.nanoTime() - started);
    }

    /**
     * The selection's ranks moved along the multiplicity's grid toward the target ({@link GridFill}); the selection
     * reported carries the ratio reached.
     */
    private Choices filled(LayerInventory.Plan plan, Choices choices, EvalScores scores) {
        GreedySelection selection = choices.selection();
        GridFill.Result fill = GridFill.fill(plan, choices.ranks(), scores, metric, multiplicity, selection.targetRatio(),
                TargetOutcome.DEFAULT_TOLERANCE);
        if (fill.steps() == 0) {
            return choices;
        }
        boolean met = Math.abs(fill.modelRatio() - selection.targetRatio()) <= TargetOutcome.DEFAULT_TOLERANCE;
        progress.note(String.format(Locale.ROOT, "rank rounding to multiples of %d left the model at %.4f; %d grid step(s)"
                + " on the selected layers' ranks moved it to %.4f (%s)", multiplicity, selection.modelRatio(), fill.steps(),
                fill.modelRatio(), met ? "within " + TargetOutcome.DEFAULT_TOLERANCE + " of the target"
                        : "the closest point the grid reaches"));
        long compressedCost = Math.round(fill.modelRatio() * selection.originalCost());
        GreedySelection moved = new GreedySelection(selection.layers(), selection.ignoredLayers(), selection.threshold(),
                fill.modelRatio(), selection.targetRatio(), met ? SearchOutcome.TARGET_MET : selection.outcome(),
                selection.originalCost(), compressedCost, selection.steps(), selection.scores());
        return new Choices(fill.ranks(), choices.kept(), moved, choices.scores());
    }

    private static Choices choices(LayerInventory.Plan plan, Map<String, GreedyLayer> layers, GreedySelection selection,
                                   EvalScores scores) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, LayerOutcome.Kept> kept = new LinkedHashMap<>();
        for (PlannedLayer layer : plan.layers()) {
            if (!layer.isCandidate()) {
                kept.put(layer.name(), layer.kept());
            }
        }
        for (LayerRatio choice : selection.layers()) {
            if (choice.ratio().isPresent()) {
                ranks.put(choice.layer(), layers.get(choice.layer()).rankAt(choice.ratio().get()));
            } else {
                kept.put(choice.layer(), new LayerOutcome.Kept(SkipReason.NOT_SELECTED, "every candidate scored below the"
                        + " threshold " + EvalSweep.formatScore(selection.threshold())));
            }
        }
        return new Choices(ranks, kept, selection, scores);
    }

    /** The dictionary restricted to this run's layers and ratios, in the reference's loop order. */
    static EvalScores inCandidateOrder(EvalScores scores, List<String> layers, List<BigDecimal> ratios) {
        EvalScores ordered = new EvalScores();
        for (String layer : layers) {
            for (BigDecimal ratio : ratios) {
                ordered.record(layer, ratio, scores.score(layer, ratio).orElseThrow(
                        () -> new IllegalStateException("no score for " + layer + " at " + ratio + " after the sweep")));
            }
        }
        return ordered;
    }

    private EvalScores loadScores(LayerInventory.Plan plan) throws CompressionException {
        Path file = auto.scoresFile();
        if (file == null || !Files.exists(file)) {
            return new EvalScores();
        }
        EvalScores scores;
        try {
            scores = EvalScores.load(file);
        } catch (JsonDocuments.MalformedException e) {
            throw new CompressionException("eval scores file " + e.getMessage() + "; delete it to start afresh, or give another"
                    + " --scores file", e);
        } catch (IOException e) {
            throw new CompressionException("cannot read the eval scores file " + file + ": " + e.getMessage(), e);
        }
        List<String> foreign = scores.layers().stream().filter(l -> !plan.names().contains(l)).toList();
        if (!foreign.isEmpty()) {
            progress.note("the scores file " + file + " has scores for " + foreign.size() + " layer(s) this model does not have ("
                    + ManualRatios.preview(foreign) + "): was it made for another model? They are kept but not used");
        }
        return scores;
    }
}
