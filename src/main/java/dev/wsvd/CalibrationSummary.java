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
 */
public record CalibrationSummary(String source, int samples, Duration time) {
    public CalibrationSummary {
        Checks.requireText(source, "calibration source");
        if (samples < 1) {
            throw new IllegalArgumentException("calibration ran on at least one sample, got " + samples);
        }
        Objects.requireNonNull(time, "calibration time");
    }
}
