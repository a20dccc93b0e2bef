package dev.wsvd;

import dev.wsvd.selection.CandidateRatios;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.EvalTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalSweepTest {

    private static final Supplier<WorkerPool.Section> NO_SECTION = WorkerPool.NO_SECTION;

    private static List<EvalTask> tasks(List<String> layers, int candidates) {
        List<EvalTask> tasks = new ArrayList<>();
        for (String layer : layers) {
            for (BigDecimal ratio : CandidateRatios.of(candidates)) {
                tasks.add(new EvalTask(layer, ratio));
            }
        }
        return tasks;
    }

    /** A score that tells the task apart: layer index plus the ratio. */
    private static double scoreOf(EvalTask task) {
        return task.layer().length() + task.ratio().doubleValue();
    }

    @Test
    void sequentialSweepSavesAfterEveryEvaluation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scores.json");
        List<EvalTask> tasks = tasks(List.of("a", "bb"), 4);
        AtomicInteger calls = new AtomicInteger();
        EvalScores scores = new EvalScores();
        EvalSweep.run(tasks, (task, threads) -> {
            int done = calls.getAndIncrement();
            // Everything scored before this call is already on disk.
            assertEquals(done, done == 0 ? 0 : EvalScores.load(file).size());
            assertEquals(2, threads, "a sequential sweep gives each evaluation every core");
            return scoreOf(task);
        }, scores, new EvalSweep.Settings(1, 2, file, NO_SECTION), ProgressListener.SILENT, "test");
        assertEquals(6, calls.get());
        assertEquals(6, scores.size());
        assertEquals(scores, EvalScores.load(file));
        for (EvalTask task : tasks) {
            assertEquals(scoreOf(task), scores.score(task.layer(), task.ratio()).orElseThrow());
        }
        assertEquals(List.of("a", "bb"), scores.layers(), "layers in task order");
    }

    @Test
    void parallelSweepRunsAtMostTheWorkersAtOnceAndSharesTheCores(@TempDir Path dir) throws Exception {
        List<EvalTask> tasks = tasks(List.of("a", "bb", "ccc"), 5);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger sections = new AtomicInteger();
        CountDownLatch bothStarted = new CountDownLatch(2);
        EvalScores scores = new EvalScores();
        EvalSweep.run(tasks, (task, threads) -> {
            assertEquals(2, threads, "4 cores over 2 workers");
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            bothStarted.countDown();
            // The first two wait for each other, proving two really run at once.
            assertTrue(bothStarted.await(10, TimeUnit.SECONDS));
            running.decrementAndGet();
            return scoreOf(task);
        }, scores, new EvalSweep.Settings(2, 4, dir.resolve("s.json"), () -> {
            sections.incrementAndGet();
            return sections::decrementAndGet;
        }), ProgressListener.SILENT, "test");
        assertEquals(2, maxRunning.get());
        assertEquals(12, scores.size());
        assertEquals(0, sections.get(), "the parallel section is closed again");
        assertEquals(scores, EvalScores.load(dir.resolve("s.json")));
    }

    @Test
    void aFailureNamesTheCandidateAndKeepsWhatWasScored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scores.json");
        List<EvalTask> tasks = tasks(List.of("first", "second"), 3);
        EvalScores scores = new EvalScores();
        CompressionException e = assertThrows(CompressionException.class, () -> EvalSweep.run(tasks, (task, threads) -> {
            if (task.layer().equals("second")) {
                throw new IllegalStateException("the session would not open");
            }
            return 0.5;
        }, scores, new EvalSweep.Settings(1, 1, file, NO_SECTION), ProgressListener.SILENT, "test"));
        assertTrue(e.getMessage().contains("layer second"), e.getMessage());
        assertTrue(e.getMessage().contains("ratio 0.3333333333333333333333333333"), e.getMessage());
        assertTrue(e.getMessage().contains("the session would not open"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(2, EvalScores.load(file).size());
        assertFalse(scores.contains("second", CandidateRatios.of(3).get(0)));
    }

    @Test
    void aParallelFailureStopsTheSweep(@TempDir Path dir) {
        List<EvalTask> tasks = tasks(List.of("a", "b", "c", "d"), 10);
        AtomicInteger calls = new AtomicInteger();
        EvalScores scores = new EvalScores();
        assertThrows(CompressionException.class, () -> EvalSweep.run(tasks, (task, threads) -> {
            calls.incrementAndGet();
            if (task.layer().equals("a")) {
                throw new RuntimeException("boom");
            }
            return 1;
        }, scores, new EvalSweep.Settings(2, 2, null, NO_SECTION), ProgressListener.SILENT, "test"));
        assertTrue(calls.get() < tasks.size(), "tasks after the failure were dropped, ran " + calls.get());
    }

    @Test
    void aNonFiniteScoreIsRefusedWithTheCandidateNamed() {
        List<EvalTask> tasks = tasks(List.of("only"), 2);
        CompressionException e = assertThrows(CompressionException.class, () -> EvalSweep.run(tasks,
                (task, threads) -> Double.NaN, new EvalScores(), new EvalSweep.Settings(1, 1, null, NO_SECTION),
                ProgressListener.SILENT, "test"));
        assertTrue(e.getMessage().contains("layer only") && e.getMessage().contains("NaN"), e.getMessage());
    }
}
