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
 * <p>The {@linkplain SelectionMode mode} says how ranks are chosen: AIMET's greedy search over every candidate
 * ratio, or the spectrum selection from one probe per layer (whose probes go to the same scores file, at the
 * probe ratio: a greedy run on the same file reuses them, and the other way round).
 *
 * @param greedy     target ratio, number of candidates, monotonic fit, layers to ignore
 * @param scoresFile where to save and resume the eval dictionary, or null to keep it in memory only
 * @param mode       greedy (the reference's) or spectrum
 */
record AutoSelection(GreedyParameters greedy, Path scoresFile, SelectionMode mode) implements RankSelection {

    public AutoSelection {
        Objects.requireNonNull(greedy, "greedy");
        Objects.requireNonNull(mode, "mode");
    }

    /** Greedy selection (the reference's) with these parameters and scores file. */
    public AutoSelection(GreedyParameters greedy, Path scoresFile) {
        this(greedy, scoresFile, SelectionMode.GREEDY);
    }

    /** Auto mode with these greedy parameters and no scores file. */
    public static AutoSelection of(GreedyParameters greedy) {
        return new AutoSelection(greedy, null);
    }

    /** This selection saving to and resuming from {@code file}. */
    public AutoSelection withScoresFile(Path file) {
        return new AutoSelection(greedy, Objects.requireNonNull(file, "file"), mode);
    }

    /** This selection choosing ranks by {@code mode}. */
    public AutoSelection withMode(SelectionMode mode) {
        return new AutoSelection(greedy, scoresFile, mode);
    }

    /** The scores file, if any. */
    public Optional<Path> scores() {
        return Optional.ofNullable(scoresFile);
    }
}
