package dev.wsvd.compress;

import dev.wsvd.compress.PhaseTimer.Phase;
import dev.wsvd.compress.selection.EvalScores;
import dev.wsvd.compress.selection.EvalTask;
import dev.wsvd.compress.selection.GreedyParameters;
import dev.wsvd.compress.selection.GreedySelection;
import dev.wsvd.compress.selection.GreedySelector;
import dev.wsvd.compress.selection.LayerRatio;
import dev.wsvd.compress.selection.MalformedEvalScoresException;
import dev.wsvd.compress.stats.CompressionStats;
import dev.wsvd.compress.stats.LayerOutcome;
import dev.wsvd.compress.stats.SkipReason;
import dev.wsvd.eval.EvaluationException;
import dev.wsvd.eval.Evaluator;
import dev.wsvd.eval.ModelSource;
import dev.wsvd.layer.CostMetric;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.RankChoice;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One compression run: read the model, plan its layers, decompose the ones that may be split (one SVD each),
 * choose ranks (manual rules or greedy selection over evaluated candidates), rewrite, write, score and report.
 */
final class CompressionRun {

    /** Execution settings of a run, from {@link WeightSvdCompressor.Builder}. */
    record Settings(int threads, int evaluationParallelism, InputShapes inputShapes, ProgressListener progress,
                    CandidateModels candidateModels) {
    }

    private final WeightSvdParameters parameters;
    private final Evaluator evaluator;
    private final Settings settings;
    private final ProgressListener progress;
    private final CostMetric metric;
    private final PhaseTimer timer = new PhaseTimer();
    private int parallelismUsed = 1;

    CompressionRun(WeightSvdParameters parameters, Evaluator evaluator, Settings settings) {
        this.parameters = parameters;
        this.evaluator = evaluator;
        this.settings = settings;
        this.progress = settings.progress();
        this.metric = parameters.costMetric();
    }

    /** The chosen outcome of every planned layer: a rank for the ones to split, a reason for the others. */
    record Choices(Map<String, Integer> ranks, Map<String, LayerOutcome.Kept> kept, GreedySelection selection,
                   EvalScores scores) {
    }

    CompressionResult run(ModelSource input, Path output) throws CompressionException, InterruptedException {
        OnnxModel source = open(input);
        Decompositions factors = new Decompositions(settings.threads(), progress);
        OnnxModel compressed = null;
        try {
            LayerInventory.Plan plan = LayerInventory.of(source, settings.inputShapes(), metric, ignoreList(),
                    parameters.isAuto());
            for (OnnxLayer layer : plan.uncounted()) {
                progress.note("layer " + layer.name() + " (" + layer.opType() + ") is not counted or split: "
                        + layer.notCompressibleReason().orElse("neither a Linear nor a 1-D/2-D convolution"));
            }
            if (!plan.macsPerRow().isEmpty()) {
                progress.note("MACs of " + plan.macsPerRow().size() + " MatMul layer(s) are counted per row (token): their"
                        + " row count depends on input sizes not given; --input-shape NAME=DIMS counts them per sample");
            }
            if (plan.layers().isEmpty()) {
                throw new CompressionException(source.label() + " has no Linear (MatMul, Gemm) or Conv layer with a constant"
                        + " weight: nothing to compress");
            }
            Double baseline = evaluator == null ? null : evaluate(input, "the original model " + input.description());

            Choices choices = switch (parameters.selection()) {
                case ManualRatios manual -> manual(plan, manual, factors, source);
                case AutoSelection auto -> auto(plan, auto, factors, source, input);
            };

            long started = System.nanoTime();
            Map<OnnxLayer, FactorPair> pairs = new LinkedHashMap<>();
            try {
                choices.ranks().forEach((name, rank) -> pairs.put(plan.layer(name).layer(), factors.of(name).factors(rank)));
                compressed = source.rewrite(pairs);
            } finally {
                pairs.values().forEach(FactorPair::close);
            }
            timer.add(Phase.REWRITING, System.nanoTime() - started);

            started = System.nanoTime();
            ByteBuffer bytes = null;
            ModelSource compressedSource;
            long outputSize;
            if (output != null) {
                write(compressed, output);
                compressedSource = ModelSource.of(output);
                outputSize = size(output);
            } else {
                bytes = compressed.toDirectByteBuffer();
                compressedSource = ModelSource.of(bytes);
                outputSize = bytes.remaining();
            }
            timer.add(Phase.WRITING, System.nanoTime() - started);

            Double compressedScore = evaluator == null ? null
                    : evaluate(compressedSource, "the compressed model (" + choices.ranks().size() + " layers split)");

            CompressionStats stats = new StatsAssembler(parameters, plan, factors, choices).assemble(baseline,
                    compressedScore, timer.times(), parallelismUsed, ModelFiles.describe(input),
                    output == null ? new dev.wsvd.compress.stats.ModelFile(null, outputSize)
                            : dev.wsvd.compress.stats.ModelFile.at(output, outputSize));
            CompressionResult result = new CompressionResult(compressed, bytes, stats);
            compressed = null;
            return result;
        } finally {
            if (compressed != null) {
                compressed.close();
            }
            factors.close();
            source.close();
        }
    }

    private List<String> ignoreList() {
        return switch (parameters.selection()) {
            case ManualRatios manual -> manual.ignore();
            case AutoSelection auto -> auto.greedy().layersToIgnore();
        };
    }

    // ---------------------------------------------------------------- manual mode

    private Choices manual(LayerInventory.Plan plan, ManualRatios manual, Decompositions factors, OnnxModel source)
            throws CompressionException, InterruptedException {
        long started = System.nanoTime();
        Map<String, ManualRatios.Decision> decisions;
        try {
            decisions = new ManualRatios(manual.allLayers(), manual.rules(), List.of()).resolve(plan.names());
        } catch (IllegalArgumentException e) {
            throw new CompressionException(e.getMessage(), e);
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, LayerOutcome.Kept> kept = new LinkedHashMap<>();
        for (PlannedLayer layer : plan.layers()) {
            if (!layer.isCandidate()) {
                kept.put(layer.name(), layer.kept());
                continue;
            }
            switch (decisions.get(layer.name())) {
                case ManualRatios.Decision.Ignored ignored -> kept.put(layer.name(),
                        new LayerOutcome.Kept(SkipReason.IGNORED, "matches " + ignored.pattern()));
                case ManualRatios.Decision.NoRatio none -> kept.put(layer.name(), LayerOutcome.Kept.because(SkipReason.NO_RATIO_GIVEN));
                case ManualRatios.Decision.Ratio ratio -> {
                    // The reference's manual mode takes a float ratio: the double arithmetic of LayerCost.choose.
                    RankChoice choice = layer.cost().choose(ratio.ratio(), metric, parameters.multiplicity());
                    if (choice.worthSplitting()) {
                        ranks.put(layer.name(), choice.rank());
                    } else {
                        kept.put(layer.name(), new LayerOutcome.Kept(SkipReason.NO_SAVING, choice.refusal()));
                    }
                }
            }
        }
        timer.add(Phase.SELECTION, System.nanoTime() - started);
        decompose(source, plan, ranks.keySet().stream().toList(), factors);
        return new Choices(ranks, kept, null, null);
    }

    // ---------------------------------------------------------------- auto mode

    private Choices auto(LayerInventory.Plan plan, AutoSelection auto, Decompositions factors, OnnxModel source,
                         ModelSource input) throws CompressionException, InterruptedException {
        List<PlannedLayer> candidates = plan.candidates();
        if (candidates.isEmpty()) {
            throw new CompressionException("no layer of " + source.label() + " is left for auto mode: " + keptSummary(plan));
        }
        long selectionStarted = System.nanoTime();
        GreedyParameters greedy = auto.greedy();
        List<String> names = candidates.stream().map(PlannedLayer::name).toList();
        Map<String, GreedyLayer> greedyLayers = new LinkedHashMap<>();
        for (PlannedLayer layer : candidates) {
            greedyLayers.put(layer.name(), GreedyLayer.of(layer, metric, parameters.multiplicity()));
        }
        long otherCost = plan.layers().stream().filter(l -> !l.isCandidate()).mapToLong(l -> l.original(metric)).sum();

        EvalScores scores = loadScores(auto, plan);
        List<BigDecimal> ratios = greedy.candidateRatios();
        List<EvalTask> tasks = scores.missing(names, ratios);
        int total = names.size() * ratios.size();
        if (auto.scoresFile() != null && tasks.size() < total) {
            progress.note("resuming from " + auto.scoresFile() + ": " + (total - tasks.size()) + " of " + total
                    + " candidate scores found, " + tasks.size() + " to evaluate");
        }
        long selectionOwn = System.nanoTime() - selectionStarted;

        decompose(source, plan, names, factors);

        if (!tasks.isEmpty()) {
            int workers = evaluator.supportsConcurrentEvaluation()
                    ? Math.min(settings.threads(), settings.evaluationParallelism() == 0 ? tasks.size() : settings.evaluationParallelism())
                    : 1;
            parallelismUsed = Math.max(1, Math.min(workers, tasks.size()));
            CandidateFactory candidatesFactory = new CandidateFactory(source, input, settings.candidateModels());
            EvalSweep.Scorer scorer = (task, threads) -> {
                PlannedLayer layer = plan.layer(task.layer());
                int rank = greedyLayers.get(task.layer()).rankAt(task.ratio());
                long built = System.nanoTime();
                try (CandidateFactory.Candidate candidate = candidatesFactory.build(layer, factors.of(task.layer()), rank)) {
                    long evaluated = System.nanoTime();
                    timer.addSweepRewriting(evaluated - built);
                    try {
                        return evaluator.evaluate(candidate.source(), threads);
                    } finally {
                        timer.addSweepEvaluation(System.nanoTime() - evaluated);
                    }
                }
            };
            long sweepStarted = System.nanoTime();
            EvalSweep.run(tasks, scorer, scores, new EvalSweep.Settings(parallelismUsed, settings.threads(), auto.scoresFile(),
                    Decompositions::singleThreadedBlas), progress, "evaluating candidates (" + names.size() + " layers x "
                    + ratios.size() + " ratios" + (parallelismUsed > 1 ? ", " + parallelismUsed + " at a time" : "") + ")");
            long sweep = System.nanoTime() - sweepStarted;
            timer.endSweep(sweep);
            timer.add(Phase.SELECTION, sweep);
        }

        long searchStarted = System.nanoTime();
        EvalScores ordered = inCandidateOrder(scores, names, ratios);
        GreedySelection selection;
        try {
            selection = new GreedySelector(greedy.withLayersToIgnore()).select(List.copyOf(greedyLayers.values()), otherCost, ordered);
        } catch (IllegalArgumentException e) {
            throw new CompressionException("greedy selection on " + source.label() + " failed: " + e.getMessage(), e);
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, LayerOutcome.Kept> kept = new LinkedHashMap<>();
        for (PlannedLayer layer : plan.layers()) {
            if (!layer.isCandidate()) {
                kept.put(layer.name(), layer.kept());
            }
        }
        for (LayerRatio choice : selection.layers()) {
            if (choice.ratio().isPresent()) {
                ranks.put(choice.layer(), greedyLayers.get(choice.layer()).rankAt(choice.ratio().get()));
            } else {
                kept.put(choice.layer(), new LayerOutcome.Kept(SkipReason.NOT_SELECTED, "every candidate scored below the threshold "
                        + EvalSweep.formatScore(selection.threshold())));
            }
        }
        timer.add(Phase.SELECTION, selectionOwn + System.nanoTime() - searchStarted);
        if (!selection.targetMet()) {
            progress.note(String.format(java.util.Locale.ROOT, "target ratio %.4f is not reachable within 0.001 with these"
                    + " candidates; the closest point reached is %.4f", selection.targetRatio(), selection.modelRatio()));
        }
        return new Choices(ranks, kept, selection, ordered);
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

    private EvalScores loadScores(AutoSelection auto, LayerInventory.Plan plan) throws CompressionException {
        Path file = auto.scoresFile();
        if (file == null || !Files.exists(file)) {
            return new EvalScores();
        }
        EvalScores scores;
        try {
            scores = EvalScores.load(file);
        } catch (MalformedEvalScoresException e) {
            throw new CompressionException(e.getMessage() + "; delete it to start afresh, or give another --scores file", e);
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

    // ---------------------------------------------------------------- shared steps

    private void decompose(OnnxModel source, LayerInventory.Plan plan, List<String> names, Decompositions factors)
            throws CompressionException, InterruptedException {
        long started = System.nanoTime();
        factors.decompose(source, plan, names);
        timer.add(Phase.SVD, System.nanoTime() - started);
    }

    private double evaluate(ModelSource model, String what) throws CompressionException {
        long started = System.nanoTime();
        try {
            double score = evaluator.evaluate(model, settings.threads());
            if (!Double.isFinite(score)) {
                throw new CompressionException("the evaluator returned " + score + " for " + what + "; scores must be finite");
            }
            progress.note("score of " + what + ": " + EvalSweep.formatScore(score));
            return score;
        } catch (EvaluationException e) {
            throw new CompressionException("cannot evaluate " + what + ": " + e.getMessage(), e);
        } finally {
            timer.add(Phase.EVALUATION, System.nanoTime() - started);
        }
    }

    private static OnnxModel open(ModelSource input) throws CompressionException {
        try {
            return switch (input) {
                case ModelSource.OnDisk file -> OnnxModel.read(file.path());
                case ModelSource.InMemory memory -> OnnxModel.read(memory.bytes());
                case ModelSource.WithInitializers replaced -> throw new CompressionException("compress the model itself, not "
                        + replaced.description() + ": replaced initializers are for evaluating candidates");
            };
        } catch (IOException e) {
            throw new CompressionException("cannot read the model " + input.description() + ": " + e.getMessage(), e);
        }
    }

    private static void write(OnnxModel model, Path output) throws CompressionException {
        try {
            model.write(output);
        } catch (IOException | IllegalArgumentException e) {
            throw new CompressionException("cannot write the compressed model to " + output + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path file) throws CompressionException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CompressionException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    private static String keptSummary(LayerInventory.Plan plan) {
        List<String> reasons = new ArrayList<>();
        for (PlannedLayer layer : plan.layers()) {
            reasons.add(layer.name() + " (" + Objects.requireNonNull(layer.kept()).describe() + ")");
        }
        return ManualRatios.preview(reasons);
    }
}
