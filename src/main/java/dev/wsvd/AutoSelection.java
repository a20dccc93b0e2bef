package dev.wsvd;

import dev.wsvd.selection.GreedyParameters;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Auto mode: the reference's greedy selection of per-layer ratios for a target model ratio (AIMET's
 * {@code AutoModeParams} with {@code GreedySelectionParameters}).
 *
 * <p>With a scores file, the eval dictionary is saved to it (atomically) after every evaluation, and a run
 * that finds the file resumes: only the (layer, ratio) pairs missing from it are evaluated, so a finished file
 * re-runs the selection (with another target, say) without evaluating anything. The file must come from the
 * same model and evaluator; wsvd cannot check that, so keep one file per model and evaluator.
 *
 * @param greedy     target ratio, number of candidates, monotonic fit, layers to ignore
 * @param scoresFile where to save and resume the eval dictionary, or null to keep it in memory only
 */
record AutoSelection(GreedyParameters greedy, Path scoresFile) implements RankSelection {

    public AutoSelection {
        Objects.requireNonNull(greedy, "greedy");
    }

    /** Auto mode with these greedy parameters and no scores file. */
    public static AutoSelection of(GreedyParameters greedy) {
        return new AutoSelection(greedy, null);
    }

    /** This selection saving to and resuming from {@code file}. */
    public AutoSelection withScoresFile(Path file) {
        return new AutoSelection(greedy, Objects.requireNonNull(file, "file"));
    }

    /** The scores file, if any. */
    public Optional<Path> scores() {
        return Optional.ofNullable(scoresFile);
    }
}
