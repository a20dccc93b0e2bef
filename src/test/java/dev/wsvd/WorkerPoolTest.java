package dev.wsvd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    private static List<Integer> inputs(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    private static IllegalStateException failure(Integer input, Exception cause) {
        return new IllegalStateException("input " + input + ": " + cause.getMessage(), cause);
    }

    @Test
    void resultsArriveInTheOrderTheyComplete() throws InterruptedException {
        // input 0 waits until input 1 has been handled: completion order is 1, then 0
        CountDownLatch secondHandled = new CountDownLatch(1);
        List<Integer> handled = new ArrayList<>();
        new WorkerPool("test-", 2, WorkerPool.NO_SECTION).run(inputs(2), input -> {
            if (input == 0) {
                assertTrue(secondHandled.await(10, TimeUnit.SECONDS));
            }
            return input * 10;
        }, (input, result) -> {
            assertEquals(input * 10, result);
            handled.add(input);
            secondHandled.countDown();
        }, WorkerPoolTest::failure);
        assertEquals(List.of(1, 0), handled);
    }

    @Test
    void outcomesAreHandledOnTheCallingThread() throws InterruptedException {
        Thread caller = Thread.currentThread();
        List<String> workerThreads = Collections.synchronizedList(new ArrayList<>());
        new WorkerPool("test-worker-", 3, WorkerPool.NO_SECTION).run(inputs(9), input -> {
            workerThreads.add(Thread.currentThread().getName());
            return input;
        }, (input, result) -> assertSame(caller, Thread.currentThread()), WorkerPoolTest::failure);
        assertTrue(workerThreads.stream().allMatch(name -> name.startsWith("test-worker-")), workerThreads.toString());
    }

    @Test
    void aFailureStopsTheRunAndNothingStartsAfterIt() {
        AtomicInteger started = new AtomicInteger();
        // Inputs other than 0 wait until the failure has reached the caller: without that, a worker thread that
        // the OS starts late lets the other worker run every input first, and the test would measure scheduling.
        CountDownLatch failureHandled = new CountDownLatch(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                new WorkerPool("test-", 2, WorkerPool.NO_SECTION).run(inputs(40), input -> {
                    started.incrementAndGet();
                    if (input == 0) {
                        throw new RuntimeException("boom");
                    }
                    failureHandled.await(10, TimeUnit.SECONDS);
                    return input;
                }, (input, result) -> { }, (input, cause) -> {
                    failureHandled.countDown();
                    return failure(input, cause);
                }));
        assertEquals("input 0: boom", e.getMessage());
        // one in flight per worker: nothing is submitted once the failure is taken
        assertTrue(started.get() <= 2, "inputs after the failure were dropped, started " + started.get());
    }

    @Test
    void aFailingHandlerStopsTheRunToo() {
        AtomicInteger handled = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool("test-", 2, WorkerPool.NO_SECTION).run(inputs(40),
                input -> input, (input, result) -> {
                    handled.incrementAndGet();
                    throw new IllegalArgumentException("cannot record " + input);
                }, WorkerPoolTest::failure));
        assertEquals(1, handled.get());
    }

    @Test
    void interruptionPropagatesAfterRunningWorkHasFinished() throws Exception {
        AtomicInteger running = new AtomicInteger();
        CountDownLatch bothRunning = new CountDownLatch(2);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicInteger runningWhenRunReturned = new AtomicInteger(-1);
        Thread caller = new Thread(() -> {
            try {
                new WorkerPool("test-", 2, WorkerPool.NO_SECTION).run(inputs(10), input -> {
                    running.incrementAndGet();
                    bothRunning.countDown();
                    try {
                        // like a native call: ignores interrupts and ends in its own time
                        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                        return input;
                    } finally {
                        running.decrementAndGet();
                    }
                }, (input, result) -> { }, WorkerPoolTest::failure);
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                runningWhenRunReturned.set(running.get());
            }
        });
        caller.start();
        assertTrue(bothRunning.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(caller.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertEquals(0, runningWhenRunReturned.get(), "no worker was still running when run returned");
    }

    @Test
    void theSectionIsOpenExactlyWhileWorkersRun() throws InterruptedException {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger runningAfterClose = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        WorkerPool pool = new WorkerPool("test-", 2, () -> {
            open.incrementAndGet();
            return () -> {
                runningAfterClose.set(running.get());
                open.decrementAndGet();
            };
        });
        pool.run(inputs(6), input -> {
            running.incrementAndGet();
            try {
                assertEquals(1, open.get(), "workers run inside the section");
                return input;
            } finally {
                running.decrementAndGet();
            }
        }, (input, result) -> { }, WorkerPoolTest::failure);
        assertEquals(0, open.get(), "closed again");
        assertEquals(0, runningAfterClose.get(), "closed after the last worker stopped");
    }

    @Test
    void oneWorkerRunsEverythingOnTheCallingThreadInOrderWithoutTheSection() throws InterruptedException {
        Thread caller = Thread.currentThread();
        List<Integer> handled = new ArrayList<>();
        new WorkerPool("test-", 1, () -> {
            throw new AssertionError("no section for work on the calling thread");
        }).run(inputs(5), input -> {
            assertSame(caller, Thread.currentThread());
            return input;
        }, (input, result) -> handled.add(result), WorkerPoolTest::failure);
        assertEquals(inputs(5), handled);
        InterruptedException interrupted = new InterruptedException("stop");
        assertSame(interrupted, assertThrows(InterruptedException.class, () -> new WorkerPool("test-", 1, WorkerPool.NO_SECTION)
                .run(inputs(2), input -> {
                    throw interrupted;
                }, (input, result) -> { }, WorkerPoolTest::failure)), "an interruption is not a failure of the work");
    }
}
