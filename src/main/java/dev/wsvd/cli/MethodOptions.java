package dev.wsvd.cli;

import dev.wsvd.Calibration;
import dev.wsvd.Method;
import dev.wsvd.Refinement;
import dev.wsvd.WeightSvdCompressor;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --method} options: plain (AIMET's) or data-aware split, and what the data-aware one calibrates on. */
final class MethodOptions {

    @Option(names = "--method", paramLabel = "plain|data-aware", defaultValue = "plain",
            description = {"How each layer is split (default: plain; in demo, data-aware). plain: AIMET's Weight SVD, the"
                    + " rank-r matrix nearest the weight. data-aware: the rank-r matrix whose outputs on real inputs are"
                    + " nearest the layer's (the weight whitened by its inputs' Gram): the original model first runs over"
                    + " calibration inputs"
                    + " (--calibration, --calibration-samples)."})
    Method method;

    @Option(names = "--calibration", paramLabel = "DIR",
            description = "--method data-aware: a folder of .npy files named by model input (input_ids.npy, ...), the"
                    + " samples on the first axis. Default: the evaluator's own kind of data, disjoint from what it scores"
                    + " (--eval embedding: WordNet pairs drawn with another seed; --eval accuracy: Fashion-MNIST training"
                    + " images for the bundled slice, else the images past --samples).")
    Path calibration;

    @Option(names = "--calibration-samples", paramLabel = "N",
            description = "--method data-aware: calibration samples (sentences, images, first-axis rows) to run. Default: "
                    + WeightSvdCompressor.DEFAULT_CALIBRATION_SAMPLES + " from the evaluator, all of --calibration's.")
    Integer calibrationSamples;

    @Option(names = "--refine", paramLabel = "none|sequential", defaultValue = "none",
            description = "--method data-aware: what runs after the ranks are chosen. none (default): each split layer"
                    + " keeps its one-shot whitened split. sequential: the split Linear layers are refitted in graph order on"
                    + " the model compressed so far, to reproduce the original layer's output (and, for a layer added into a"
                    + " residual stream, the stream's drift too), one more calibration pass per distinct layer input; ranks"
                    + " and costs stay as chosen, Conv layers keep the one-shot split.")
    Refinement refinement;

    /** Usage errors in these options, or null when they are consistent. */
    String usageProblem() {
        if (method != Method.DATA_AWARE && (calibration != null || calibrationSamples != null)) {
            return "--calibration and --calibration-samples belong to --method data-aware";
        }
        if (method != Method.DATA_AWARE && refinement != null && refinement != Refinement.NONE) {
            return "--refine sequential refits data-aware splits: add --method data-aware";
        }
        if (calibrationSamples != null && calibrationSamples < 1) {
            return "--calibration-samples must be at least 1, got " + calibrationSamples;
        }
        return null;
    }

    /**
     * What tells a saved eval-scores file of these options apart: empty for plain, else the method and any
     * calibration given (candidates split another way score differently).
     */
    String scoresSuffix() {
        if (method != Method.DATA_AWARE) {
            return "";
        }
        return "-data-aware" + (calibration != null ? "-" + calibration.getFileName() : "")
                + (calibrationSamples != null ? "-" + calibrationSamples + "-samples" : "");
    }

    /** Applies the options to {@code builder}. */
    WeightSvdCompressor.Builder applyTo(WeightSvdCompressor.Builder builder) {
        builder.method(method);
        if (calibration != null) {
            builder.calibration(Calibration.directory(calibration));
        }
        if (calibrationSamples != null) {
            builder.calibrationSamples(calibrationSamples);
        }
        if (refinement != null) {
            builder.refinement(refinement);
        }
        return builder;
    }
}
