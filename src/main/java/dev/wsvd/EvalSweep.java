package dev.wsvd;

import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.EvalTask;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Fills the greedy eval dictionary: scores each (layer, ratio) task, records it and saves the dictionary
 * after every evaluation, so that an interrupted run loses at most the evaluations in flight.
 *
 * <p>With {@code parallelism > 1} the tasks run on a {@link WorkerPool} of {@code min(parallelism, tasks)}
 * threads, each evaluation given {@code max(1, cores / workers)} compute threads, so the pool never asks for more
 * threads than there are cores; results are recorded and saved on the calling thread, one at a time. Tasks
 * start in the order given (layer by layer, as the reference loops). The first failure stops the sweep:
 * tasks not started are dropped, running ones finish (an evaluation in native code cannot be interrupted
 * safely), and what was recorded stays saved.
 */
final class EvalSweep {

    /** Scores one candidate with at most {@code threads} compute threads. */
    @FunctionalInterface
    interface Scorer {
        double score(EvalTask task, int threads) throws Exception;
    }

    /**
     * @param parallelism     evaluations at a time (1 = on the calling thread)
     * @param cores           compute threads to share among them
     * @param saveTo          where to save the dictionary after each evaluation, or null
     * @param parallelSection opened while the pool runs
     */
    record Settings(int parallelism, int cores, Path saveTo, Supplier<? extends WorkerPool.Section> parallelSection) {
        Settings {
            if (parallelism < 1 || cores < 1) {
                throw new IllegalArgumentException("parallelism and cores must be at least 1, got " + parallelism + " and " + cores);
            }
            Objects.requireNonNull(parallelSection, "parallelSection");
        }
    }

    private EvalSweep() {
    }

    /**
     * Runs {@code tasks} and records their scores into {@code scores}.
     *
     * @throws CompressionException if a candidate cannot be scored or the scores file cannot be written; the
     *                              message names the layer and ratio, and the file to resume from
     */
    static void run(List<EvalTask> tasks, Scorer scorer, EvalScores scores, Settings settings, ProgressListener progress,
                    String phase) throws CompressionException, InterruptedException {
        progress.begin(phase, tasks.size());
        int workers = Math.min(settings.parallelism(), tasks.size());
        int threadsEach = workers <= 1 ? settings.cores() : Math.max(1, settings.cores() / workers);
        new WorkerPool("wsvd-eval-", settings.parallelism(), settings.parallelSection()).run(tasks,
                task -> scorer.score(task, threadsEach),
                (task, score) -> record(task, score, scores, settings, progress),
                (task, cause) -> failure(task, cause, scores, settings));
        progress.end();
    }

    private static void record(EvalTask task, double score, EvalScores scores, Settings settings, ProgressListener progress)
            throws CompressionException {
        if (!Double.isFinite(score)) {
            throw failure(task, new IllegalArgumentException("the evaluator returned " + score
                    + "; scores must be finite numbers (higher is better)"), scores, settings);
        }
        scores.record(task.layer(), task.ratio(), score);
        if (settings.saveTo() != null) {
            try {
                scores.saveTo(settings.saveTo());
            } catch (IOException e) {
                throw new CompressionException("cannot save the eval scores to " + settings.saveTo() + ": " + e.getMessage()
                        + "; check that the folder is writable, or choose another scores file", e);
            }
        }
        progress.step(task.layer() + " @ " + task.ratio().stripTrailingZeros().toPlainString() + " -> " + formatScore(score));
    }

    private static CompressionException failure(EvalTask task, Exception cause, EvalScores scores, Settings settings) {
        String resume = settings.saveTo() == null
                ? " Give a scores file (--scores FILE) to keep finished evaluations across runs."
                : " The " + scores.size() + " scores recorded so far are saved in " + settings.saveTo()
                + "; run again with the same scores file to resume.";
        return new CompressionException("evaluating layer " + task.layer() + " compressed to ratio "
                + task.ratio().stripTrailingZeros().toPlainString() + " failed: " + cause.getMessage() + "." + resume, cause);
    }

    static String formatScore(double score) {
        return String.format(java.util.Locale.ROOT, "%.6f", score);
    }
}
