package dev.wsvd;

import dev.wsvd.CompressionStats.SelectionSummary;
import dev.wsvd.CompressionStats.TargetOutcome;
import dev.wsvd.CostMetric;
import dev.wsvd.Evaluator;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.ModelSource;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.json.JsonDocuments;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.EvalTask;
import dev.wsvd.selection.GreedyParameters;
import dev.wsvd.selection.GreedySelection;
import dev.wsvd.selection.GreedySelector;
import dev.wsvd.selection.LayerRatio;
import dev.wsvd.selection.ScoresProvenance;
import dev.wsvd.selection.SpectrumAllocation;
import dev.wsvd.selection.SearchOutcome;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Auto mode: the eval dictionary (resumed from the scores file, missing candidates evaluated), then the
 * reference's greedy selection on it ({@link GreedySelector}), then each chosen ratio's rank; or, for
 * {@link SelectionMode#SPECTRUM}, one probe per layer at {@value #PROBE_RATIO_TEXT} and ranks from the spectra
 * ({@link SpectrumSelection}).
 */
final class AutoMode {
    /** The ratio the spectrum selection probes each layer at (also a greedy candidate ratio for even candidate counts). */
    static final String PROBE_RATIO_TEXT = "0.5";

    /** The original model's score on the search data, computed when first asked for. */
    @FunctionalInterface
    interface SearchBaseline {
        double value() throws CompressionException;
    }

    private final AutoSelection auto;
    private final CostMetric metric;
    private final int multiplicity;
    private final Method method;
    private final Evaluator evaluator;
    private final CompressionRun.Settings settings;
    private final PhaseTimer timer;
    private final ProgressListener progress;
    private int parallelism = 1;

    AutoMode(AutoSelection auto, CostMetric metric, int multiplicity, Method method, Evaluator evaluator,
             CompressionRun.Settings settings, PhaseTimer timer) {
        this.auto = auto;
        this.method = method;
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
    Choices choose(LayerInventory.Plan plan, Decompositions factors, OnnxModel source, ModelSource input,
                   SearchBaseline searchBaseline)
            throws CompressionException, InterruptedException {
        List<String> names = plan.candidates().stream().map(PlannedLayer::name).toList();
        Map<String, GreedyLayer> layers = new LinkedHashMap<>();
        plan.candidates().forEach(layer -> layers.put(layer.name(), GreedyLayer.of(layer, metric, multiplicity)));
        if (auto.mode() == SelectionMode.SPECTRUM) {
            return spectrum(plan, layers, names, factors, source, input, searchBaseline);
        }
        List<BigDecimal> ratios = auto.greedy().candidateRatios();

        EvalScores scores = loadScores(plan, provenance(input, ratios.size() + 1));
        List<EvalTask> tasks = scores.missing(names, ratios);
        if (auto.scoresFile() != null && tasks.size() < names.size() * ratios.size()) {
            progress.note("resuming from " + auto.scoresFile() + ": " + (names.size() * ratios.size() - tasks.size()) + " of "
                    + names.size() * ratios.size() + " candidate scores found, " + tasks.size() + " to evaluate");
        }
        if (!tasks.isEmpty()) {
            sweep(tasks, scores, plan, layers, factors, source, input,
                    "evaluating candidates (" + names.size() + " layers x " + ratios.size() + " ratios"
                    + (parallelismFor(tasks) > 1 ? ", " + parallelismFor(tasks) + " at a time" : "") + ")");
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
        SelectionSummary summary = SelectionSummary.greedy(tasks.size(), names.size() * ratios.size() - tasks.size(),
                searchBaseline.value());
        Choices choices = choices(plan, layers, selection, ordered, summary);
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

    /** The spectrum selection: probes (resumed from the scores file, missing ones evaluated), then the allocation. */
    private Choices spectrum(LayerInventory.Plan plan, Map<String, GreedyLayer> layers, List<String> names,
                             Decompositions factors, OnnxModel source, ModelSource input, SearchBaseline searchBaseline)
            throws CompressionException, InterruptedException {
        BigDecimal probeRatio = SpectrumSelection.probeRatio();
        EvalScores scores = loadScores(plan, provenance(input, auto.greedy().candidateRatios().size() + 1));
        List<EvalTask> tasks = scores.missing(names, List.of(probeRatio));
        if (auto.scoresFile() != null && tasks.size() < names.size()) {
            progress.note("resuming from " + auto.scoresFile() + ": " + (names.size() - tasks.size()) + " of " + names.size()
                    + " probe scores found, " + tasks.size() + " to evaluate");
        }
        double baseline = searchBaseline.value();
        if (!tasks.isEmpty()) {
            sweep(tasks, scores, plan, layers, factors, source, input,
                    "probing layers (" + names.size() + " layers, each alone at ratio " + PROBE_RATIO_TEXT
                    + (parallelismFor(tasks) > 1 ? ", " + parallelismFor(tasks) + " at a time" : "") + ")");
        }
        EvalScores probes = SpectrumSelection.probeScores(scores, names);
        Map<String, Double> probeScores = new LinkedHashMap<>();
        Map<String, Integer> probeRanks = new LinkedHashMap<>();
        for (String name : names) {
            probeScores.put(name, probes.score(name, probeRatio).orElseThrow());
            probeRanks.put(name, layers.get(name).rankAt(probeRatio));
        }
        // a layer whose probe lost nothing is probed again, deeper: its first probe cannot scale its error curve
        BigDecimal deepRatio = new BigDecimal(SpectrumSelection.DEEP_PROBE_RATIO_TEXT);
        List<String> deep = names.stream()
                .filter(name -> SpectrumSelection.negligible(baseline - probeScores.get(name), baseline)).toList();
        List<EvalTask> deepTasks = scores.missing(deep, List.of(deepRatio));
        if (!deepTasks.isEmpty()) {
            sweep(deepTasks, scores, plan, layers, factors, source, input,
                    "probing again at ratio " + SpectrumSelection.DEEP_PROBE_RATIO_TEXT + " (" + deepTasks.size() + " layers whose probe lost nothing)");
        }
        long started = System.nanoTime();
        Map<String, Double> deepScores = new LinkedHashMap<>();
        Map<String, Integer> deepRanks = new LinkedHashMap<>();
        Map<String, Integer> smallestRanks = new LinkedHashMap<>();
        names.forEach(name -> smallestRanks.put(name, layers.get(name).rankAt(deepRatio)));
        for (String name : deep) {
            deepScores.put(name, scores.score(name, deepRatio).orElseThrow());
            deepRanks.put(name, layers.get(name).rankAt(deepRatio));
        }
        SpectrumSelection.Outcome outcome = SpectrumSelection.allocate(plan, factors, metric, multiplicity,
                auto.greedy().targetRatio(), probeScores, probeRanks, deepScores, deepRanks, smallestRanks, baseline);
        SpectrumAllocation.Result allocation = outcome.allocation();
        String shortfall = SpectrumSelection.shortfall(allocation);
        if (shortfall != null) {
            progress.note(shortfall);
        }
        Map<String, LayerOutcome.Kept> kept = new LinkedHashMap<>();
        for (PlannedLayer layer : plan.layers()) {
            if (!layer.isCandidate()) {
                kept.put(layer.name(), layer.kept());
            } else if (!allocation.ranks().containsKey(layer.name())) {
                kept.put(layer.name(), new LayerOutcome.Kept(SkipReason.NOT_SELECTED, "the spectrum allocation kept it whole:"
                        + " its predicted loss at any allowed rank cost more than the MACs or parameters it would save elsewhere"));
            }
        }
        SelectionSummary summary = new SelectionSummary(SelectionMode.SPECTRUM, tasks.size() + deepTasks.size(),
                names.size() - tasks.size() + deep.size() - deepTasks.size(),
                baseline, probeRatio.doubleValue(), outcome.drops(), allocation.predictedError());
        TargetOutcome target = TargetOutcome.withoutThreshold(allocation.targetRatio(), allocation.modelRatio());
        Choices choices = new Choices(allocation.ranks(), kept, null, probes, target, summary);
        timer.add(PhaseTimer.Phase.SELECTION, System.nanoTime() - started);
        return choices;
    }

    /** Evaluations a sweep of {@code tasks} runs at a time. */
    private int parallelismFor(List<EvalTask> tasks) {
        int asked = settings.evaluationParallelism() == 0 ? settings.threads() : settings.evaluationParallelism();
        return evaluator.supportsConcurrentEvaluation() ? Math.max(1, Math.min(asked, tasks.size())) : 1;
    }

    /** Evaluates {@code tasks} into {@code scores}, candidates built from one factory for the layers they name. */
    private void sweep(List<EvalTask> tasks, EvalScores scores, LayerInventory.Plan plan, Map<String, GreedyLayer> layers,
                       Decompositions factors, OnnxModel source, ModelSource input, String phase)
            throws CompressionException, InterruptedException {
        List<dev.wsvd.onnx.OnnxLayer> swept = tasks.stream().map(EvalTask::layer).distinct()
                .map(name -> plan.layer(name).layer()).toList();
        try (CandidateFactory candidates = new CandidateFactory(source, input, settings.candidateModels(), evaluator, swept)) {
            sweep(tasks, scores, plan, layers, factors, candidates, phase);
        }
    }

    private void sweep(List<EvalTask> tasks, EvalScores scores, LayerInventory.Plan plan, Map<String, GreedyLayer> layers,
                       Decompositions factors, CandidateFactory candidates, String phase)
            throws CompressionException, InterruptedException {
        parallelism = parallelismFor(tasks);
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
                Decompositions::singleThreadedBlas), progress, phase);
        timer.endSweep(System.nanoTime() - started);
    }

    /**
     * The selection's ranks moved along the multiplicity's grid toward the target ({@link GridFill}); the selection
     * reported carries the ratio reached.
     */
    private Choices filled(LayerInventory.Plan plan, Choices choices, EvalScores scores) {
        GreedySelection selection = choices.selection();
        Set<String> splittable = new HashSet<>();
        choices.kept().forEach((name, kept) -> {
            if (kept.reason() == SkipReason.NOT_SELECTED && !scores.scores(name).isEmpty()) {
                splittable.add(name);
            }
        });
        GridFill.Result fill = GridFill.fill(plan, choices.ranks(), splittable, scores, metric, multiplicity,
                selection.targetRatio(), TargetOutcome.DEFAULT_TOLERANCE);
        if (fill.steps() == 0) {
            return choices;
        }
        boolean met = Math.abs(fill.modelRatio() - selection.targetRatio()) <= TargetOutcome.DEFAULT_TOLERANCE;
        progress.note(String.format(Locale.ROOT, "rank rounding to multiples of %d left the model at %.4f; %d grid step(s)"
                + " on the layers' ranks moved it to %.4f (%s)", multiplicity, selection.modelRatio(), fill.steps(),
                fill.modelRatio(), met ? "within " + TargetOutcome.DEFAULT_TOLERANCE + " of the target"
                        : "the closest point the grid reaches"));
        long compressedCost = Math.round(fill.modelRatio() * selection.originalCost());
        GreedySelection moved = new GreedySelection(selection.layers(), selection.ignoredLayers(), selection.threshold(),
                fill.modelRatio(), selection.targetRatio(), met ? SearchOutcome.TARGET_MET : selection.outcome(),
                selection.originalCost(), compressedCost, selection.steps(), selection.scores());
        Map<String, LayerOutcome.Kept> stillKept = new LinkedHashMap<>(choices.kept());
        stillKept.keySet().removeAll(fill.ranks().keySet());
        return new Choices(fill.ranks(), stillKept, moved, choices.scores(),
                TargetOutcome.of(moved.targetRatio(), moved.modelRatio(), moved.threshold()), choices.summary());
    }

    private static Choices choices(LayerInventory.Plan plan, Map<String, GreedyLayer> layers, GreedySelection selection,
                                   EvalScores scores, SelectionSummary summary) {
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
        TargetOutcome target = TargetOutcome.of(selection.targetRatio(), selection.modelRatio(), selection.threshold());
        return new Choices(ranks, kept, selection, scores, target, summary);
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

    /**
     * What this run's scores are measured on: the model's digest, the evaluator with its settings (its own
     * {@code toString} when it has one; a class name alone cannot tell two settings apart), metric and candidates.
     */
    private ScoresProvenance provenance(ModelSource input, int candidates) throws CompressionException {
        if (auto.scoresFile() == null) {
            return null;
        }
        String described;
        try {
            boolean ownText = evaluator.getClass().getMethod("toString").getDeclaringClass() != Object.class;
            described = evaluator.getClass().isHidden() ? "an unnamed evaluator (lambda)"
                    : ownText ? evaluator.getClass().getSimpleName() + " " + evaluator : evaluator.getClass().getName();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        return new ScoresProvenance(ModelDigest.sha256(input), described, split(), metric.name().toLowerCase(java.util.Locale.ROOT),
                candidates);
    }

    /** How candidates are split, as the scores file records it: what their scores depend on besides the model. */
    private String split() {
        // Rank rounding changes the candidates' ranks, so scores measured on another grid must not be reused.
        String grid = multiplicity > 1 ? ", ranks rounded up to multiples of " + multiplicity : "";
        return splitMethod() + grid;
    }

    private String splitMethod() {
        if (method == Method.PLAIN) {
            return "plain";
        }
        String samples = settings.calibrationSamples() > 0 ? settings.calibrationSamples() + " samples" : "default samples";
        return "data-aware, calibrated on " + switch (settings.calibration()) {
            case Calibration.FromEvaluator _ -> "the evaluator's data, " + samples;
            case Calibration.Directory directory -> directory.folder().toAbsolutePath().normalize() + ", " + samples;
            case Calibration.InMemory _ -> "inputs given in memory, " + samples;
        };
    }

    private EvalScores loadScores(LayerInventory.Plan plan, ScoresProvenance now) throws CompressionException {
        Path file = auto.scoresFile();
        if (file == null || !Files.exists(file)) {
            EvalScores fresh = new EvalScores();
            fresh.provenance(now);
            return fresh;
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
        ScoresProvenance saved = scores.provenance();
        if (saved == null) {
            progress.note("the scores file " + file + " does not say which model and evaluator it was made with (an older"
                    + " wsvd); it is used as is and records them from now on");
        } else {
            String difference = now.firstDifference(saved);
            if (difference != null) {
                throw new CompressionException("the scores file " + file + " was made for another run: " + difference
                        + "; delete it to start fresh, or give another --scores file");
            }
        }
        scores.provenance(now);
        List<String> foreign = scores.layers().stream().filter(l -> !plan.names().contains(l)).toList();
        if (!foreign.isEmpty()) {
            progress.note("the scores file " + file + " has scores for " + foreign.size() + " layer(s) this model does not have ("
                    + ManualRatios.preview(foreign) + "): was it made for another model? They are kept but not used");
        }
        return scores;
    }
}
