package dev.wsvd;

import java.util.Objects;

/**
 * Which data each score was measured on. The search data is what auto mode's candidate or probe evaluations
 * scored (what the selection optimised); the reported data is what the baseline and compressed scores in the
 * statistics come from. The built-in evaluators keep the two apart (a held-out set), so the reported score is
 * not the one the search tuned for; any other evaluator scores both on its one data set, and {@link #shared()}
 * says so.
 *
 * @param search   the search data in words, with its size (e.g. "64 WordNet pairs, seed 20240531")
 * @param reported the data of the reported scores in words, with its size
 * @param shared   whether the two are the same data
 */
public record ScoreSets(String search, String reported, boolean shared) {
    /** Checks that both are described. */
    public ScoreSets {
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(reported, "reported");
    }

    /** One data set for both (an evaluator without a held-out set). */
    public static ScoreSets sharedBy(String data) {
        return new ScoreSets(data, data, true);
    }
}
