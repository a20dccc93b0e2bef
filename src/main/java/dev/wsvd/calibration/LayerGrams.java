package dev.wsvd.calibration;

import dev.wsvd.linalg.GramAccumulator;
import dev.wsvd.tensor.Tensor;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The input statistics calibration collected: for each calibrated layer the Gram of its input rows (layers reading
 * the same tensor the same way share one accumulator), and for the layers it could not calibrate the reason. Owns
 * the accumulators' native memory until closed.
 */
public final class LayerGrams implements AutoCloseable {
    private final Map<String, GramAccumulator> byLayer;
    private final Map<String, String> fallbacks;
    private final String source;
    private final int samples;
    private final Duration time;

    LayerGrams(Map<String, GramAccumulator> byLayer, Map<String, String> fallbacks, String source, int samples, Duration time) {
        this.source = Objects.requireNonNull(source, "source");
        this.byLayer = Collections.unmodifiableMap(new LinkedHashMap<>(byLayer));
        this.fallbacks = Collections.unmodifiableMap(new LinkedHashMap<>(fallbacks));
        this.samples = samples;
        this.time = Objects.requireNonNull(time, "time");
    }

    /** Whether {@code layer} was calibrated (else it was not asked for, or {@link #fallbacks()} says why not). */
    public boolean has(String layer) {
        return byLayer.containsKey(layer);
    }

    /** A copy of the Gram of {@code layer}'s input rows (f64, both triangles), which the caller closes. */
    public Tensor gram(String layer) {
        return accumulator(layer).gram();
    }

    /** The number of input rows summed into {@code layer}'s Gram (tokens, pixel positions, samples). */
    public long rows(String layer) {
        return accumulator(layer).rows();
    }

    /** The mean of {@code layer}'s input rows, a new f64 vector the caller closes. */
    public Tensor mean(String layer) {
        return accumulator(layer).mean();
    }

    /** The layers that were asked for but could not be calibrated, each with the reason (they get the plain split). */
    public Map<String, String> fallbacks() {
        return fallbacks;
    }

    /** What the calibration inputs were, as {@link CalibrationInputs#description()} says. */
    public String source() {
        return source;
    }

    /** The calibration samples the model ran on. */
    public int samples() {
        return samples;
    }

    /** Wall time of the calibration run (session, batches, Gram updates). */
    public Duration time() {
        return time;
    }

    private GramAccumulator accumulator(String layer) {
        GramAccumulator accumulator = byLayer.get(layer);
        if (accumulator == null) {
            throw new IllegalArgumentException("layer " + layer + " was not calibrated"
                    + (fallbacks.containsKey(layer) ? ": " + fallbacks.get(layer) : ""));
        }
        return accumulator;
    }

    @Override
    public void close() {
        byLayer.values().forEach(GramAccumulator::close);
    }
}
