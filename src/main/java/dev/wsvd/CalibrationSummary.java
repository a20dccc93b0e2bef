package dev.wsvd;

import java.time.Duration;
import java.util.Objects;

/**
 * What the data-aware method calibrated on: the original model ran over these inputs once, and each split layer was
 * whitened by the Gram of its inputs there (the layers' own row counts and shifts are in {@link LayerStats#calibration()}).
 *
 * @param source  what the inputs were, e.g. {@code 1024 WordNet sentences (seed 424242, none of them scored)}
 * @param samples how many samples (sentences, images, first-axis rows) ran
 * @param time    wall time of the calibration run (ONNX Runtime and the Gram updates)
 * @param refinement the sequential refinement that ran after the ranks were chosen ({@link Refinement#SEQUENTIAL}),
 *                or null when none ran
 */
public record CalibrationSummary(String source, int samples, Duration time, RefinementRun refinement) {
    public CalibrationSummary {
        Checks.requireText(source, "calibration source");
        if (samples < 1) {
            throw new IllegalArgumentException("calibration ran on at least one sample, got " + samples);
        }
        Objects.requireNonNull(time, "calibration time");
    }

    /** A calibration without a refinement. */
    public CalibrationSummary(String source, int samples, Duration time) {
        this(source, samples, time, null);
    }

    /**
     * What the sequential refinement did: one calibration pass per distinct input of the refitted layers.
     *
     * @param passes         calibration passes run (each over the same calibration inputs, original and partly
     *                       compressed model side by side)
     * @param layers         split layers refitted
     * @param residualLayers of those, the ones whose target included the drift of the residual stream they add to
     * @param time           wall time of the refinement (passes and refits)
     */
    public record RefinementRun(int passes, int layers, int residualLayers, Duration time) {
        public RefinementRun {
            if (passes < 0 || layers < 0 || residualLayers < 0 || residualLayers > layers) {
                throw new IllegalArgumentException("a refinement runs passes >= 0 over layers >= residual layers >= 0, got "
                        + passes + ", " + layers + ", " + residualLayers);
            }
            Objects.requireNonNull(time, "refinement time");
        }
    }
}
