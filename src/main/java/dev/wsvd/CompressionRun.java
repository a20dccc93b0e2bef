package dev.wsvd;

import dev.wsvd.CompressionStats.CalibrationSummary;
import dev.wsvd.CompressionStats.LatencyStats;
import dev.wsvd.CompressionStats.ScoreSets;
import dev.wsvd.CompressionStats;
import dev.wsvd.CostMetric;
import dev.wsvd.EvaluationException;
import dev.wsvd.Evaluator;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.ModelSource;
import dev.wsvd.PhaseTimer.Phase;
import dev.wsvd.io.OutputPaths;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.rewrite.LayerRewriter;
import dev.wsvd.onnx.wire.OnnxFormatException;

import java.io.IOException;
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

    /**
     * Execution settings of a run, from {@link WeightSvdCompressor.Builder}.
     *
     * @param latencyThreads intra-op threads to time both models' inference with, or 0 not to time them
     * @param refinement     data-aware method: what runs after the ranks are chosen
     */
    record Settings(int threads, int evaluationParallelism, InputShapes inputShapes, ProgressListener progress,
                    WeightSvdCompressor.CandidateModels candidateModels, Calibration calibration, int calibrationSamples,
                    int latencyThreads, Refinement refinement) {
        Settings {
            java.util.Objects.requireNonNull(refinement, "refinement");
        }
    }

    private final WeightSvdParameters parameters;
    private final Evaluator evaluator;
    private final Settings settings;
    private final ProgressListener progress;
    private final CostMetric metric;
    private final PhaseTimer timer = new PhaseTimer();
    private int parallelismUsed = 1;
    private CalibrationSummary.RefinementRun refinementRun; // null unless a refinement ran

    CompressionRun(WeightSvdParameters parameters, Evaluator evaluator, Settings settings) {
        this.parameters = parameters;
        this.evaluator = evaluator;
        this.settings = settings;
        this.progress = settings.progress();
        this.metric = parameters.costMetric();
    }

    CompressionResult run(ModelSource input, Path output) throws CompressionException, InterruptedException {
        checkOutput(input, output); // before any work: a wrong path costs nothing and leaves nothing behind
        OnnxModel source = open(input);
        Decompositions factors = new Decompositions(settings.threads(), progress);
        OnnxModel compressed = null;
        try {
            LayerInventory.Plan plan = plan(source);
            Score baseline = evaluator == null ? null : evaluate(input, "the original model " + input.description());
            // the search ranks candidates on the evaluator's search data; with a held-out set the baseline above is
            // not on it, so the original is scored on the search data too, once, when a selection needs it
            boolean heldOut = heldOut();
            double[] searchBaseline = {heldOut || baseline == null ? Double.NaN : baseline.value()};
            AutoMode.SearchBaseline searchScore = () -> {
                if (Double.isNaN(searchBaseline[0])) { // not yet scored
                    searchBaseline[0] = evaluateSearch(input, "the original model " + input.description()).value();
                }
                return searchBaseline[0];
            };

            Choices choices = switch (parameters.selection()) {
                case ManualRatios manual -> {
                    long started = System.nanoTime();
                    Choices manualChoices = ManualMode.choose(plan, manual, metric, parameters.multiplicity());
                    timer.add(Phase.SELECTION, System.nanoTime() - started);
                    List<String> split = List.copyOf(manualChoices.ranks().keySet());
                    calibrate(source, plan, split, factors);
                    decompose(source, plan, split, factors);
                    yield manualChoices;
                }
                case AutoSelection auto -> {
                    List<String> candidates = plan.candidates().stream().map(PlannedLayer::name).toList();
                    calibrate(source, plan, candidates, factors);
                    decompose(source, plan, candidates, factors);
                    AutoMode autoMode = new AutoMode(auto, metric, parameters.multiplicity(), parameters.method(), evaluator, settings,
                            timer);
                    Choices autoChoices = autoMode.choose(plan, factors, source, input, searchScore);
                    parallelismUsed = autoMode.parallelism();
                    yield autoChoices;
                }
            };

            SequentialRefinement refinement = refine(source, plan, choices, factors);
            try {
                compressed = split(source, plan, choices, factors, refinement);
            } finally {
                if (refinement != null) {
                    refinement.close();
                }
            }
            Written written = serialize(compressed, output);
            Score compressedScore = evaluator == null ? null
                    : evaluate(written.source(), "the compressed model (" + choices.ranks().size()
                            + (choices.ranks().size() == 1 ? " layer" : " layers") + " split)");

            LatencyStats latency = settings.latencyThreads() > 0 ? latency(input, written.source()) : null;

            CompressionStats stats = new StatsAssembler(parameters, plan, factors, choices, refinementRun).assemble(baseline,
                    compressedScore, scoreSets(), timer.times(), parallelismUsed, ModelFiles.describe(input), written.file(),
                    latency);
            CompressionResult result = new CompressionResult(compressed, written.bytes(), stats);
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

    /** Fails if {@code output} (null: none) cannot be written or is the input file, as the command line checks it. */
    private static void checkOutput(ModelSource input, Path output) throws CompressionException {
        if (output == null) {
            return;
        }
        try {
            OutputPaths.check(output, input instanceof ModelSource.OnDisk disk ? disk.path() : null);
        } catch (IOException e) {
            throw new CompressionException(e.getMessage(), e);
        }
    }

    /** The model's layers with their costs and skip reasons; says what is not counted. */
    private LayerInventory.Plan plan(OnnxModel source) throws CompressionException {
        LayerInventory.Plan plan = LayerInventory.of(source, settings.inputShapes(), metric, ignoreList(), parameters.isAuto());
        for (OnnxLayer layer : plan.uncounted()) {
            progress.note("layer " + layer.name() + " (" + layer.opType() + ") is not counted or split: "
                    + layer.notCompressibleReason().orElse("neither a Linear nor a 1-D/2-D convolution"));
        }
        for (LayerInventory.Unmeasured layer : plan.unmeasured()) {
            progress.note("layer " + layer.layer().name() + " (" + layer.layer().opType() + (layer.layer().inSubgraph()
                    ? ", in " + layer.layer().graph() : "") + ") is not counted or split: " + layer.describe());
        }
        if (!plan.macsPerRow().isEmpty()) {
            progress.note("MACs of " + plan.macsPerRow().size() + " MatMul layer(s) are counted per row (token): " + (settings.inputShapes().isEmpty()
                    ? "their row count depends on input sizes not given; --input-shape NAME=DIMS counts them per sample"
                    : "their row count was not measured (layers that cannot be split are left out of the shape probe)"));
        }
        if (plan.layers().isEmpty() && !plan.unmeasured().isEmpty()) {
            throw new CompressionException("no layer of " + source.label() + " can be compressed: " + keptSummary(plan));
        }
        if (plan.layers().isEmpty()) {
            throw new CompressionException(source.label() + " has no Linear (MatMul, Gemm) or Conv layer with a constant"
                    + " weight: nothing to compress");
        }
        // one rule for both modes: a run that can split nothing is an error, not a copy reported as compressed
        if (plan.candidates().isEmpty()) {
            throw new CompressionException("no layer of " + source.label() + " can be compressed: " + keptSummary(plan));
        }
        return plan;
    }

    /** {@link Refinement#SEQUENTIAL}: refits the chosen layers on the model compressed so far; null when not asked for. */
    private SequentialRefinement refine(OnnxModel source, LayerInventory.Plan plan, Choices choices, Decompositions factors)
            throws CompressionException {
        if (settings.refinement() == Refinement.NONE || parameters.method() != Method.DATA_AWARE || choices.ranks().isEmpty()) {
            return null;
        }
        // like the calibration, its wall time is reported with the calibration (stats), not as a phase
        SequentialRefinement refinement = SequentialRefinement.run(source, plan, choices, factors, settings, evaluator);
        refinementRun = refinement.summary();
        return refinement;
    }

    /** The source with the chosen layers replaced by their factor pairs (refitted ones when a refinement ran). */
    private OnnxModel split(OnnxModel source, LayerInventory.Plan plan, Choices choices, Decompositions factors,
                            SequentialRefinement refinement) {
        long started = System.nanoTime();
        Map<OnnxLayer, FactorPair> pairs = new LinkedHashMap<>();
        Map<OnnxLayer, dev.wsvd.tensor.Tensor> offsets = new LinkedHashMap<>();
        try {
            choices.ranks().forEach((name, rank) -> {
                OnnxLayer layer = plan.layer(name).layer();
                if (refinement != null && refinement.refitted(name)) {
                    pairs.put(layer, refinement.pair(name));
                    if (refinement.offset(name) != null) {
                        offsets.put(layer, refinement.offset(name));
                    }
                } else {
                    pairs.put(layer, factors.of(name).factors(rank));
                }
            });
            return LayerRewriter.rewrite(source, pairs, offsets);
        } finally {
            pairs.values().forEach(FactorPair::close);
            timer.add(Phase.REWRITING, System.nanoTime() - started);
        }
    }

    /**
     * The compressed model as the evaluator will read it.
     *
     * @param source what to evaluate: the written file, or the serialized bytes
     * @param bytes  the serialized model when nothing was written, else null
     * @param file   what the statistics say about the output
     */
    private record Written(ModelSource source, ByteBuffer bytes, ModelFile file) {
    }

    /** Writes the model to {@code output}, or serializes it into a direct buffer when there is no output file. */
    private Written serialize(OnnxModel compressed, Path output) throws CompressionException {
        long started = System.nanoTime();
        try {
            if (output != null) {
                write(compressed, output);
                return new Written(ModelSource.of(output), null, ModelFile.at(output, size(output)));
            }
            ByteBuffer bytes = compressed.toDirectByteBuffer();
            return new Written(ModelSource.of(bytes), bytes, ModelFile.inMemory(bytes.remaining()));
        } finally {
            timer.add(Phase.WRITING, System.nanoTime() - started);
        }
    }

    private List<String> ignoreList() {
        return switch (parameters.selection()) {
            case ManualRatios manual -> manual.ignore();
            case AutoSelection auto -> auto.greedy().layersToIgnore();
        };
    }

    // ---------------------------------------------------------------- shared steps

    /** Data-aware method: runs the original model over the calibration inputs and hands the layers' Grams to the SVDs. */
    private void calibrate(OnnxModel source, LayerInventory.Plan plan, List<String> names, Decompositions factors)
            throws CompressionException {
        if (parameters.method() != Method.DATA_AWARE || names.isEmpty()) {
            return;
        }
        // its wall time is reported with the calibration (stats), not as a phase: the phases are the reference's
        factors.useGrams(CalibrationStep.run(source, plan, names, settings, evaluator));
    }

    private void decompose(OnnxModel source, LayerInventory.Plan plan, List<String> names, Decompositions factors)
            throws CompressionException, InterruptedException {
        long started = System.nanoTime();
        factors.decompose(source, plan, names);
        timer.add(Phase.SVD, System.nanoTime() - started);
    }

    /** Which data the scores come from; null without an evaluator. */
    private ScoreSets scoreSets() {
        return switch (evaluator) {
            case null -> null;
            case HeldOutScoring split when split.hasHeldOut() -> new ScoreSets(split.searchData(), split.heldOutData(), false);
            case HeldOutScoring split -> ScoreSets.sharedBy(split.searchData());
            default -> ScoreSets.sharedBy("the evaluator's own data (no held-out set: the reported scores are on the data"
                    + " the search used)");
        };
    }

    /** The score the run reports: on the held-out data when the evaluator has some, else on its one data set. */
    private Score evaluate(ModelSource model, String what) throws CompressionException {
        return evaluate(model, what, heldOut());
    }

    /** Whether the evaluator keeps held-out data for the reported scores. */
    private boolean heldOut() {
        return evaluator instanceof HeldOutScoring split && split.hasHeldOut();
    }

    /** The score on the search data (what candidates and probes are ranked by). */
    private Score evaluateSearch(ModelSource model, String what) throws CompressionException {
        return evaluate(model, what, false);
    }

    private Score evaluate(ModelSource model, String what, boolean heldOut) throws CompressionException {
        long started = System.nanoTime();
        try {
            Score score = heldOut ? ((HeldOutScoring) evaluator).evaluateHeldOut(model, settings.threads())
                    : evaluator.evaluate(model, settings.threads());
            if (score == null) {
                throw new CompressionException("the evaluator returned no score for " + what);
            }
            progress.note("score of " + what + (heldOut ? " on the held-out data: " : heldOut() ? " on the search data: " : ": ") + EvalSweep.formatScore(score.value()));
            return score;
        } catch (EvaluationException e) {
            throw new CompressionException("cannot evaluate " + what + ": " + e.getMessage(), e);
        } finally {
            timer.add(Phase.EVALUATION, System.nanoTime() - started);
        }
    }

    /**
     * Times the original and the compressed model the same way: on the built-in evaluator's inputs, else on zeros of
     * the given input shapes.
     */
    private LatencyStats latency(ModelSource original, ModelSource compressed) throws CompressionException {
        int threads = settings.latencyThreads();
        progress.note("timing inference of the original and the compressed model (" + threads
                + (threads == 1 ? " thread" : " threads") + ")");
        try {
            if (evaluator instanceof TimedEvaluator builtIn) {
                return new LatencyStats(builtIn.latency(original, threads), builtIn.latency(compressed, threads), threads,
                        builtIn.latencyWorkload());
            }
            LatencyMeter.Timed before = LatencyMeter.onZeros(original, settings.inputShapes(), threads);
            LatencyMeter.Timed after = LatencyMeter.onZeros(compressed, settings.inputShapes(), threads);
            return new LatencyStats(before.latency(), after.latency(), threads, before.workload());
        } catch (EvaluationException | dev.wsvd.runtime.SessionException e) {
            throw new CompressionException("cannot time inference: " + e.getMessage(), e);
        }
    }

    private static OnnxModel open(ModelSource input) throws CompressionException {
        try {
            return switch (input) {
                case ModelSource.OnDisk file -> OnnxModel.read(file.path());
                case ModelSource.InMemory memory -> OnnxModel.read(memory.bytes());
                case CandidateSource candidate -> throw new CompressionException("compress the model itself, not "
                        + candidate.description() + ": replaced initializers are for evaluating candidates");
            };
        } catch (OnnxFormatException e) {
            throw new ModelFormatException("cannot read the model " + input.description() + ": " + e.getMessage(), e);
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
        for (LayerInventory.Unmeasured layer : plan.unmeasured()) {
            reasons.add(layer.layer().name() + " (" + layer.describe() + ")");
        }
        return ManualRatios.preview(reasons);
    }
}
