package dev.wsvd;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link Evaluator} says of one model: the score the compressor compares (higher is better), and any
 * further measures the evaluator computed on the same run, so nobody has to run the model twice to see them.
 *
 * <pre>{@code
 * Evaluator validation = model -> Score.of(myValidationSuite.accuracy(model));
 * }</pre>
 *
 * @param value    the score, finite; higher is better
 * @param measures further named measures in a stable order (for example {@code retrieval_top1} and
 *                 {@code min_cosine} of {@link EmbeddingFidelity}); keys in snake_case, values finite
 */
public record Score(double value, Map<String, Double> measures) {

    /** Checks that every number is finite and copies the measures. */
    public Score {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a score must be finite, got " + value);
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        Objects.requireNonNull(measures, "measures").forEach((name, measure) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a measure needs a name");
            }
            if (measure == null || !Double.isFinite(measure)) {
                throw new IllegalArgumentException("measure " + name + " must be finite, got " + measure);
            }
            copy.put(name, measure);
        });
        measures = Collections.unmodifiableMap(copy);
    }

    /** A score with no further measures. */
    public static Score of(double value) {
        return new Score(value, Map.of());
    }

    /** The named measure, or NaN when the evaluator did not compute it. */
    public double measure(String name) {
        Double measure = measures.get(name);
        return measure == null ? Double.NaN : measure;
    }
}
