package dev.wsvd;

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
 * <p>{@code measured} holds the scores as evaluated, at the candidate ratios, before the optional monotonic
 * fit and before the rounding pass; {@code fitted} holds the fit's values at the same candidate ratios. The
 * renderings mark each layer's chosen (rounded) ratio on the curve by linear interpolation, as the rounding
 * pass computes it. Ratios may come in as any {@link Number} (selection's exact {@code BigDecimal}s included);
 * they are kept as doubles.
 *
 * @param baselineScore score of the original model
 * @param measured      layer name to (ratio to score), layers in model order, ratios ascending; every layer
 *                      has at least one ratio
 * @param fitted        the same for the monotonic fit's values (non-decreasing in the ratio) when the fit was
 *                      used, empty otherwise; its layers are a subset of {@code measured}'s
 */
public record EvalDictionary(double baselineScore, SequencedMap<String, SortedMap<Double, Double>> measured,
                         SequencedMap<String, SortedMap<Double, Double>> fitted) {
    /** Checks ratios and scores, and makes sorted, unmodifiable copies in the given layer order. */
    public EvalDictionary {
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
    public static EvalDictionary of(double baselineScore, Map<String, ? extends Map<? extends Number, ? extends Number>> measured) {
        return new EvalDictionary(baselineScore, orderedCopy(measured), new LinkedHashMap<>());
    }

    /** Measured and fitted scores. */
    public static EvalDictionary of(double baselineScore, Map<String, ? extends Map<? extends Number, ? extends Number>> measured,
                                    Map<String, ? extends Map<? extends Number, ? extends Number>> fitted) {
        return new EvalDictionary(baselineScore, orderedCopy(measured), orderedCopy(fitted));
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

    private static SequencedMap<String, SortedMap<Double, Double>> orderedCopy(
            Map<String, ? extends Map<? extends Number, ? extends Number>> scores) {
        Objects.requireNonNull(scores, "scores");
        SequencedMap<String, SortedMap<Double, Double>> copy = new LinkedHashMap<>();
        scores.forEach((layer, curve) -> {
            if (curve == null) {
                copy.put(layer, null);
                return;
            }
            TreeMap<Double, Double> doubles = new TreeMap<>();
            curve.forEach((ratio, score) -> {
                if (ratio == null || score == null) {
                    throw new IllegalArgumentException("scores of layer " + layer + " contain a null ratio or score");
                }
                doubles.put(ratio.doubleValue(), score.doubleValue());
            });
            copy.put(layer, doubles);
        });
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
