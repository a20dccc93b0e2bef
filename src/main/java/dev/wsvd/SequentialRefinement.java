package dev.wsvd;

import dev.wsvd.CompressionStats.CalibrationSummary;
import dev.wsvd.calibration.CalibrationException;
import dev.wsvd.calibration.CalibrationInputs;
import dev.wsvd.calibration.FeedbackCalibration;
import dev.wsvd.layer.ErrorFeedback;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.FeedbackMoments;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.ResidualStreams;
import dev.wsvd.onnx.rewrite.ExposedValues;
import dev.wsvd.onnx.rewrite.LayerRewriter;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.tensor.Tensor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Refinement#SEQUENTIAL}: after the ranks are chosen, refits the split Linear layers one input at a time in
 * graph order, each pass on the model compressed so far (refitted layers, and the one-shot split of the layers that are
 * not refitted), so every layer sees the inputs the compressed model will really give it and corrects what the layers
 * before it changed ({@link ErrorFeedback}). Layers whose output is added to a residual stream
 * ({@link ResidualStreams}) also cancel the stream's drift. Holds the refitted factors until closed.
 */
final class SequentialRefinement implements AutoCloseable {
    /**
     * Calibration rows a layer needs per input before it is refitted: a rule of thumb between 1.9, measured harmful,
     * and 7.4, measured good (see where it is used).
     */
    static final int MIN_ROWS_PER_INPUT = 4;
    private final Map<String, FactorPair> pairs = new LinkedHashMap<>();
    private final Map<String, Tensor> offsets = new LinkedHashMap<>();
    private CalibrationSummary.RefinementRun summary;

    private SequentialRefinement() {
    }

    /** One refit pass: the split layers reading one input, in model order. */
    private record Pass(String input, List<PlannedLayer> layers, int firstNode) {
    }

    /**
     * Refits the layers {@code choices} split.
     *
     * @param source the original model
     * @throws CompressionException if a pass cannot run or a refit fails, naming the layer
     */
    static SequentialRefinement run(OnnxModel source, LayerInventory.Plan plan, Choices choices, Decompositions factors,
                                    CompressionRun.Settings settings, Evaluator evaluator) throws CompressionException {
        long started = System.nanoTime();
        ProgressListener progress = settings.progress();
        SequentialRefinement refinement = new SequentialRefinement();
        try {
            List<Pass> passes = passes(source, plan, choices, factors, progress);
            int residualLayers = 0;
            if (!passes.isEmpty()) {
                try (CalibrationInputs inputs = CalibrationStep.open(settings, evaluator)) {
                    progress.note("refining " + passes.stream().mapToInt(p -> p.layers().size()).sum() + " split layers in "
                            + passes.size() + " calibration passes over " + inputs.description() + " (one per layer input)");
                    for (int i = 0; i < passes.size(); i++) {
                        residualLayers += refinement.refit(source, plan, choices, factors, passes.get(i), i, passes.size(),
                                inputs, settings);
                    }
                }
            }
            refinement.summary = new CalibrationSummary.RefinementRun(passes.size(), refinement.pairs.size(), residualLayers,
                    Duration.ofNanos(System.nanoTime() - started));
            return refinement;
        } catch (CalibrationException e) {
            refinement.close();
            throw new CompressionException("cannot refine the split of " + source.label() + ": " + e.getMessage(), e);
        } catch (CompressionException | RuntimeException | Error e) {
            refinement.close();
            throw e;
        }
    }

    /** The passes: split, calibrated Linear layers grouped by the input they read, ordered by their first node. */
    private static List<Pass> passes(OnnxModel source, LayerInventory.Plan plan, Choices choices, Decompositions factors,
                                     ProgressListener progress) {
        Map<String, List<PlannedLayer>> byInput = new LinkedHashMap<>();
        List<String> convolutions = new ArrayList<>();
        List<String> tooFewRows = new ArrayList<>();
        for (String name : choices.ranks().keySet()) {
            PlannedLayer layer = plan.layer(name);
            OnnxLayer onnx = layer.layer();
            boolean calibrated = factors.grams() != null && factors.grams().has(name);
            if (!(onnx.geometry().orElseThrow() instanceof LinearGeometry)) {
                convolutions.add(name);
                continue;
            }
            String key = calibrated ? FeedbackCalibration.inputKey(source, onnx) : null;
            if (key == null) {
                continue;
            }
            int in = onnx.geometry().orElseThrow().inChannels();
            long rows = factors.grams().rows(name);
            if (rows < (long) MIN_ROWS_PER_INPUT * in) {
                // below as many rows as inputs the least squares behind the refit is underdetermined (it would zero
                // every input direction the rows do not span); a little above it, it fits the calibration rows' noise:
                // MiniLM at ratio 0.8 with 64 sentences (716 rows for 384 inputs, 1.9 per input) refitted to held-out
                // cosine 0.67 against 0.84 one-shot, while the default 1,024 sentences (7.4 rows per input on the
                // 1,536-input layers, 29 on the others) gain 0.005-0.02
                tooFewRows.add(name + " (" + rows + " rows, " + in + " inputs)");
                continue;
            }
            byInput.computeIfAbsent(key, k -> new ArrayList<>()).add(layer);
        }
        if (!tooFewRows.isEmpty()) {
            progress.note("the refinement needs at least " + MIN_ROWS_PER_INPUT + " calibration rows per layer input; "
                    + tooFewRows.size() + " layer(s) keep their one-shot data-aware split: " + ManualRatios.preview(tooFewRows)
                    + " (more --calibration-samples refit them)");
        }
        if (!convolutions.isEmpty()) {
            progress.note("the refinement refits Linear layers only: " + convolutions.size() + " split convolution(s) keep"
                    + " their one-shot data-aware split (" + ManualRatios.preview(convolutions) + ")");
        }
        List<Pass> passes = new ArrayList<>();
        byInput.forEach((input, layers) -> passes.add(new Pass(input, layers,
                layers.stream().mapToInt(l -> source.site(l.layer()).nodeIndex()).min().orElseThrow())));
        // graph order: a layer's input is computed before its node, so every layer a pass changes comes after the
        // inputs of the passes before it, and no refit undoes the statistics of an earlier one
        passes.sort(Comparator.comparingInt(Pass::firstNode));
        return passes;
    }

    /** Runs one pass and refits its layers; returns how many of them had a residual target. */
    private int refit(OnnxModel source, LayerInventory.Plan plan, Choices choices, Decompositions factors, Pass pass,
                      int index, int count, CalibrationInputs inputs, CompressionRun.Settings settings)
            throws CompressionException, CalibrationException {
        ProgressListener progress = settings.progress();
        Map<String, String> residualOf = new LinkedHashMap<>();
        Map<String, Integer> residualWidths = new LinkedHashMap<>();
        for (PlannedLayer layer : pass.layers()) {
            int out = layer.layer().geometry().orElseThrow().outChannels();
            ResidualStreams.residualOf(source, layer.layer())
                    .filter(residual -> ExposedValues.canExpose(source, residual))
                    .filter(residual -> residualWidths.getOrDefault(residual, out) == out)
                    .ifPresent(residual -> {
                        residualOf.put(layer.name(), residual);
                        residualWidths.put(residual, out);
                    });
        }
        OnnxLayer first = pass.layers().getFirst().layer();
        String names = ManualRatios.preview(pass.layers().stream().map(PlannedLayer::name).toList());
        FeedbackCalibration statistics;
        try (OnnxModel compressed = partlyCompressed(source, plan, choices, factors)) {
            progress.begin("refinement pass " + (index + 1) + " of " + count + ": " + names, inputs.batchCount());
            try {
                statistics = FeedbackCalibration.collect(source, compressed, first, residualWidths, inputs, settings.threads(),
                        (batch, samples) -> progress.step("batch " + (batch + 1) + " (" + samples + " samples)"));
            } finally {
                progress.end();
            }
        }
        try (statistics) {
            for (PlannedLayer layer : pass.layers()) {
                int rank = choices.ranks().get(layer.name());
                try (FeedbackMoments moments = statistics.moments(residualOf.get(layer.name()));
                     Tensor weight = source.weight(layer.layer());
                     Tensor bias = source.bias(layer.layer())) {
                    ErrorFeedback.Refit refit = ErrorFeedback.refit(layer.layer().geometry().orElseThrow(), weight, bias,
                            moments, rank);
                    pairs.put(layer.name(), refit.pair());
                    if (refit.pair().secondBias() == null) {
                        offsets.put(layer.name(), refit.offset());
                    } else {
                        refit.offset().close();
                    }
                    refit.target().close();
                } catch (OnnxFormatException e) {
                    throw new ModelFormatException("cannot read the weight of layer " + layer.name() + " of " + source.label()
                            + ": " + e.getMessage(), e);
                } catch (IllegalArgumentException e) {
                    throw new CompressionException("cannot refit layer " + layer.name() + " of " + source.label() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return (int) pass.layers().stream().filter(l -> residualOf.containsKey(l.name())).count();
    }

    /** The source with every chosen layer split: refitted where done, else its one-shot split. */
    private OnnxModel partlyCompressed(OnnxModel source, LayerInventory.Plan plan, Choices choices, Decompositions factors) {
        Map<OnnxLayer, FactorPair> split = new LinkedHashMap<>();
        Map<OnnxLayer, Tensor> added = new LinkedHashMap<>();
        List<FactorPair> made = new ArrayList<>();
        try {
            choices.ranks().forEach((name, rank) -> {
                OnnxLayer layer = plan.layer(name).layer();
                FactorPair pair = pairs.get(name);
                if (pair == null) {
                    pair = factors.of(name).factors(rank);
                    made.add(pair);
                }
                split.put(layer, pair);
                if (offsets.containsKey(name)) {
                    added.put(layer, offsets.get(name));
                }
            });
            return LayerRewriter.rewrite(source, split, added);
        } finally {
            made.forEach(FactorPair::close);
        }
    }

    /** Whether {@code layer} was refitted. */
    boolean refitted(String layer) {
        return pairs.containsKey(layer);
    }

    /** A copy of the refitted factors of {@code layer}, which the caller closes. */
    FactorPair pair(String layer) {
        FactorPair pair = pairs.get(layer);
        if (pair == null) {
            throw new IllegalArgumentException("layer " + layer + " was not refitted");
        }
        return new FactorPair(pair.rank(), pair.first().copy(), copy(pair.firstBias()), pair.second().copy(),
                copy(pair.secondBias()));
    }

    /** What must be added to the output of a refitted layer without a bias of its own, or null. */
    Tensor offset(String layer) {
        return offsets.get(layer);
    }

    /** What the refinement did. */
    CalibrationSummary.RefinementRun summary() {
        return summary;
    }

    private static Tensor copy(Tensor tensor) {
        return tensor == null ? null : tensor.copy();
    }

    @Override
    public void close() {
        pairs.values().forEach(FactorPair::close);
        pairs.clear();
        offsets.values().forEach(Tensor::close);
        offsets.clear();
    }
}
