package dev.wsvd.compress.stats;

/**
 * The evaluator's score of the original and of the compressed model (higher is better; for example accuracy
 * or mean cosine similarity).
 *
 * @param baseline   score of the original model
 * @param compressed score of the compressed model
 */
public record Scores(double baseline, double compressed) {
    /** Checks that both scores are finite. */
    public Scores {
        Checks.requireFinite(baseline, "baseline score");
        Checks.requireFinite(compressed, "compressed score");
    }

    /** Compressed minus baseline: negative when compression cost score. */
    public double change() {
        return compressed - baseline;
    }
}
