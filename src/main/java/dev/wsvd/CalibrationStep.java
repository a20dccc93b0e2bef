package dev.wsvd;

import dev.wsvd.calibration.ArrayCalibration;
import dev.wsvd.calibration.CalibrationException;
import dev.wsvd.calibration.CalibrationInputs;
import dev.wsvd.calibration.Calibrator;
import dev.wsvd.calibration.InputArray;
import dev.wsvd.calibration.LayerGrams;
import dev.wsvd.calibration.NpyInputs;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;

import java.util.List;

/**
 * The data-aware method's calibration inside a run: opens the calibration inputs the settings name (the evaluator's
 * own data, a folder of {@code .npy} files, arrays in memory), runs the original model over them and returns the
 * Grams of the named layers' inputs.
 */
final class CalibrationStep {
    /** Samples per run for inputs given as arrays. */
    private static final int ARRAY_BATCH = 32;

    private CalibrationStep() {
    }

    static LayerGrams run(OnnxModel source, LayerInventory.Plan plan, List<String> names, CompressionRun.Settings settings,
                          Evaluator evaluator) throws CompressionException {
        List<OnnxLayer> layers = names.stream().map(name -> plan.layer(name).layer()).toList();
        ProgressListener progress = settings.progress();
        try (CalibrationInputs inputs = open(settings, evaluator)) {
            progress.note("calibrating on " + inputs.description() + " (" + inputs.samples() + " samples in "
                    + inputs.batchCount() + " batches)");
            progress.begin("calibrating", inputs.batchCount());
            try {
                LayerGrams grams = Calibrator.collect(source, layers, inputs, settings.threads(),
                        (index, samples) -> progress.step("batch " + (index + 1) + " (" + samples + " samples)"));
                grams.fallbacks().forEach((layer, reason) -> progress.note("layer " + layer + ": " + reason));
                return grams;
            } finally {
                progress.end();
            }
        } catch (CalibrationException e) {
            throw new CompressionException("cannot calibrate " + source.label() + " for the data-aware method: " + e.getMessage(), e);
        }
    }

    static CalibrationInputs open(CompressionRun.Settings settings, Evaluator evaluator)
            throws CompressionException, CalibrationException {
        int samples = settings.calibrationSamples();
        try {
            return switch (settings.calibration()) {
                case Calibration.FromEvaluator ignored -> {
                    int count = samples == 0 ? WeightSvdCompressor.DEFAULT_CALIBRATION_SAMPLES : samples;
                    if (evaluator instanceof EmbeddingFidelity fidelity) {
                        yield fidelity.calibrationInputs(count);
                    }
                    if (evaluator instanceof ClassificationAccuracy accuracy) {
                        yield accuracy.calibrationInputs(count);
                    }
                    throw new CompressionException("the data-aware method runs the model over calibration inputs, and "
                            + (evaluator == null ? "there is no evaluator" : "the evaluator " + evaluator + " has none of its own")
                            + " to take them from: give them (--calibration DIR of .npy files named by model input, or"
                            + " Calibration.directory/of in the API)");
                }
                case Calibration.Directory directory -> new ArrayCalibration(NpyInputs.read(directory.folder()), samples,
                        ARRAY_BATCH, directory.folder() + " (.npy files)");
                case Calibration.InMemory memory -> new ArrayCalibration(memory.inputs().stream()
                        .map(input -> new InputArray(input.name(), input.shape(), input.floats(), input.longs(),
                                "calibration input " + input.name()))
                        .toList(), samples, ARRAY_BATCH, "calibration inputs in memory");
            };
        } catch (EvaluationException e) {
            throw new CompressionException("cannot take calibration inputs from the evaluator: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CalibrationException(e.getMessage(), e);
        }
    }
}
