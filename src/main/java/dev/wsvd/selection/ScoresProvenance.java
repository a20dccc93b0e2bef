package dev.wsvd.selection;

import java.util.Objects;

/**
 * What a scores file's scores were measured on, saved with them so that a resumed run never reuses scores of
 * another model, evaluator or candidate grid: the model file's SHA-256, the evaluator with its settings, the cost
 * metric and the number of candidate divisions.
 *
 * @param modelSha256 hex SHA-256 of the model as given (its graph file; external data is not hashed)
 * @param evaluator   the evaluator and its settings as it describes itself
 * @param metric      the cost metric the candidate ratios are in
 * @param candidates  N of the candidate ratios i/N
 */
public record ScoresProvenance(String modelSha256, String evaluator, String split, String metric, int candidates) {
    public ScoresProvenance {
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(evaluator, "evaluator");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(metric, "metric");
    }

    /** The first field in which {@code saved} differs from this run's, as a sentence; null when they agree. */
    public String firstDifference(ScoresProvenance saved) {
        if (!modelSha256.equals(saved.modelSha256())) {
            return "the model differs (SHA-256 " + abbreviate(saved.modelSha256()) + " in the file, " + abbreviate(modelSha256)
                    + " now)";
        }
        if (!evaluator.equals(saved.evaluator())) {
            return "the evaluator differs (\"" + saved.evaluator() + "\" in the file, \"" + evaluator + "\" now)";
        }
        if (!split.equals(saved.split())) {
            return "the split differs (" + saved.split() + " in the file, " + split + " now): candidates split another way"
                    + " score differently";
        }
        if (!metric.equals(saved.metric())) {
            return "the metric differs (" + saved.metric() + " in the file, " + metric + " now)";
        }
        if (candidates != saved.candidates()) {
            return "the candidates differ (" + saved.candidates() + " in the file, " + candidates + " now)";
        }
        return null;
    }

    private static String abbreviate(String digest) {
        return digest.length() > 12 ? digest.substring(0, 12) + "…" : digest;
    }
}
