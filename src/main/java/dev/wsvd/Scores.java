package dev.wsvd;

import java.util.Objects;

/**
 * The evaluator's score of the original and of the compressed model, with any further measures the evaluator
 * reported for each (for example retrieval accuracy next to the mean cosine).
 *
 * @param baseline   score of the original model
 * @param compressed score of the compressed model
 */
public record Scores(Score baseline, Score compressed) {
    /** Checks that both are given. */
    public Scores {
        Objects.requireNonNull(baseline, "baseline score");
        Objects.requireNonNull(compressed, "compressed score");
    }

    /** Both scores without further measures. */
    public static Scores of(double baseline, double compressed) {
        return new Scores(Score.of(baseline), Score.of(compressed));
    }

    /** Compressed minus baseline score: negative when compression cost score. */
    public double change() {
        return compressed.value() - baseline.value();
    }
}
