package dev.wsvd;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one piece of work per input on a fixed pool of daemon threads and hands each outcome to the calling thread
 * in the order the work completes: the one pool lifecycle of the layer decompositions and the evaluation sweep.
 *
 * <ul>
 *   <li>At most one input per worker is in flight: the next input starts only after an outcome was handled, so a
 *       failure stops further work whatever the timing.</li>
 *   <li>Work that has started is never abandoned: after a failure, or when the calling thread is interrupted, the
 *       pool waits for it before {@link #run} returns, because it may be reading native memory the caller frees
 *       next (an SVD or an ONNX Runtime session in native code cannot be interrupted safely).</li>
 *   <li>With one worker, or one input, everything runs on the calling thread in input order, without the section.</li>
 *   <li>The section is open around the parallel part: OpenBLAS held at one thread, so that the workers' BLAS calls
 *       share the cores instead of each starting a pool of its own.</li>
 * </ul>
 */
final class WorkerPool {
    /** What a worker does with one input. */
    @FunctionalInterface
    interface Work<I, R> {
        R apply(I input) throws Exception;
    }

    /** Takes one result, on the calling thread; throwing stops the run. */
    @FunctionalInterface
    interface Done<I, R, X extends Exception> {
        void accept(I input, R result) throws X;
    }

    /** Turns a failure of the work on {@code input} into the exception the run stops with. */
    @FunctionalInterface
    interface Failed<I, X extends Exception> {
        X describe(I input, Exception cause);
    }

    /** A section around the parallel part of a run, closed after the last worker stopped. */
    @FunctionalInterface
    interface Section extends AutoCloseable {
        @Override
        void close();
    }

    /** No section. */
    static final Supplier<Section> NO_SECTION = () -> () -> { };

    private final String threadPrefix;
    private final int workers;
    private final Supplier<? extends Section> section;

    /**
     * @param threadPrefix names the worker threads ({@code wsvd-svd-} gives {@code wsvd-svd-1}, ...)
     * @param workers      threads at most (never more than there are inputs)
     * @param section      opened around every parallel run
     */
    WorkerPool(String threadPrefix, int workers, Supplier<? extends Section> section) {
        if (workers < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one worker, got " + workers);
        }
        this.threadPrefix = Objects.requireNonNull(threadPrefix, "threadPrefix");
        this.workers = workers;
        this.section = Objects.requireNonNull(section, "section");
    }

    /**
     * Applies {@code work} to every input and hands each result to {@code done}. The first failure of the work
     * (as {@code failed} describes it) or of {@code done} stops the run: inputs not started are dropped, running
     * ones finish, and the failure is thrown.
     *
     * @throws InterruptedException if the calling thread was interrupted; running work has finished by then
     */
    <I, R, X extends Exception> void run(List<I> inputs, Work<I, R> work, Done<I, R, X> done, Failed<I, X> failed)
            throws X, InterruptedException {
        int threads = Math.min(workers, inputs.size());
        if (threads <= 1) {
            for (I input : inputs) {
                done.accept(input, applyOnCallingThread(input, work, failed));
            }
            return;
        }
        try (Section _ = section.get()) {
            runParallel(threads, inputs, work, done, failed);
        }
    }

    private <I, R, X extends Exception> void runParallel(int threads, List<I> inputs, Work<I, R> work, Done<I, R, X> done,
                                                         Failed<I, X> failed) throws X, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name(threadPrefix, 1).factory());
        try {
            CompletionService<Outcome<I, R>> completed = new ExecutorCompletionService<>(pool);
            int started = 0;
            while (started < threads) {
                submit(completed, inputs.get(started++), work);
            }
            for (int finished = 0; finished < inputs.size(); finished++) {
                Outcome<I, R> outcome = take(completed);
                if (outcome.failure() != null) {
                    throw failed.describe(outcome.input(), outcome.failure());
                }
                done.accept(outcome.input(), outcome.result());
                if (started < inputs.size()) {
                    submit(completed, inputs.get(started++), work);
                }
            }
        } finally {
            stop(pool);
        }
    }

    private static <I, R, X extends Exception> R applyOnCallingThread(I input, Work<I, R> work, Failed<I, X> failed)
            throws X, InterruptedException {
        try {
            return work.apply(input);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw failed.describe(input, e);
        }
    }

    private record Outcome<I, R>(I input, R result, Exception failure) {
    }

    private static <I, R> void submit(CompletionService<Outcome<I, R>> completed, I input, Work<I, R> work) {
        completed.submit(() -> {
            try {
                return new Outcome<>(input, work.apply(input), null);
            } catch (Exception e) {
                return new Outcome<>(input, null, e);
            }
        });
    }

    private static <I, R> Outcome<I, R> take(CompletionService<Outcome<I, R>> completed) throws InterruptedException {
        try {
            return completed.take().get();
        } catch (ExecutionException e) {
            // the worker catches every Exception, so only an Error gets here
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a worker failed unexpectedly", e.getCause());
        }
    }

    /** Drops inputs not started and waits for running work, even when interrupted meanwhile (restoring the flag). */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
