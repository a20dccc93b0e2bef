package dev.wsvd.compress.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Auto mode's eval dictionary: for each layer, the model's score with only that layer compressed, at each
 * candidate ratio (the reference's {@code {layer: {ratio: score}}}), and the baseline score of the
 * uncompressed model the candidates are compared with.
 *
 * @param baselineScore score of the original model
 * @param measured      layer name to (ratio to score), layers in model order, ratios ascending; every layer
 *                      has at least one ratio
 * @param fitted        the same for the monotonic fit's values (non-decreasing in the ratio) when the fit was
 *                      used, empty otherwise; its layers are a subset of {@code measured}'s
 */
public record EvalScores(double baselineScore, SequencedMap<String, SortedMap<Double, Double>> measured,
                         SequencedMap<String, SortedMap<Double, Double>> fitted) {
    /** Checks ratios and scores, and makes sorted, unmodifiable copies in the given layer order. */
    public EvalScores {
        Checks.requireFinite(baselineScore, "baseline score");
        measured = immutableCopy(measured, "measured");
        fitted = immutableCopy(fitted, "fitted");
        for (String layer : fitted.keySet()) {
            if (!measured.containsKey(layer)) {
                throw new IllegalArgumentException("fitted scores name layer " + layer + ", which has no measured scores");
            }
        }
    }

    /** Measured scores only (no monotonic fit). */
    public static EvalScores of(double baselineScore, Map<String, ? extends Map<Double, Double>> measured) {
        return new EvalScores(baselineScore, orderedCopy(measured), new LinkedHashMap<>());
    }

    /** Measured and fitted scores. */
    public static EvalScores of(double baselineScore, Map<String, ? extends Map<Double, Double>> measured,
                                Map<String, ? extends Map<Double, Double>> fitted) {
        return new EvalScores(baselineScore, orderedCopy(measured), orderedCopy(fitted));
    }

    /** Whether a monotonic fit replaced the measured scores. */
    public boolean hasFit() {
        return !fitted.isEmpty();
    }

    /** The scores selection used for a layer: fitted when there is a fit, measured otherwise; null if unknown. */
    public SortedMap<Double, Double> selectionScores(String layer) {
        SortedMap<Double, Double> fit = fitted.get(layer);
        return fit != null ? fit : measured.get(layer);
    }

    private static SequencedMap<String, SortedMap<Double, Double>> orderedCopy(Map<String, ? extends Map<Double, Double>> scores) {
        Objects.requireNonNull(scores, "scores");
        SequencedMap<String, SortedMap<Double, Double>> copy = new LinkedHashMap<>();
        scores.forEach((layer, curve) -> copy.put(layer, curve == null ? null : new TreeMap<>(curve)));
        return copy;
    }

    private static SequencedMap<String, SortedMap<Double, Double>> immutableCopy(
            SequencedMap<String, SortedMap<Double, Double>> scores, String what) {
        Objects.requireNonNull(scores, what);
        SequencedMap<String, SortedMap<Double, Double>> copy = new LinkedHashMap<>();
        scores.forEach((layer, curve) -> {
            Checks.requireText(layer, "layer name in " + what + " scores");
            if (curve == null || curve.isEmpty()) {
                throw new IllegalArgumentException(what + " scores of layer " + layer + " are empty");
            }
            TreeMap<Double, Double> sorted = new TreeMap<>();
            curve.forEach((ratio, score) -> {
                if (ratio == null || score == null) {
                    throw new IllegalArgumentException(what + " scores of layer " + layer + " contain a null ratio or score");
                }
                Checks.requireRatio(ratio, what + " ratio of layer " + layer);
                Checks.requireFinite(score, what + " score of layer " + layer + " at ratio " + ratio);
                sorted.put(ratio, score);
            });
            copy.put(layer, Collections.unmodifiableSortedMap(sorted));
        });
        return Collections.unmodifiableSequencedMap(copy);
    }
}
