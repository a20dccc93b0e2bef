package dev.wsvd;

import dev.wsvd.CompressionStats.PhaseTimes;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall time per phase of one run. Phases timed on the calling thread add their wall time. Inside a parallel
 * sweep each worker's time is split between building candidate models and evaluating them; the sweep's wall
 * time is then shared between the two phases in proportion to the workers' summed times, so the phases of a
 * parallel run still add up to its wall time.
 */
final class PhaseTimer {
    private final long start = System.nanoTime();
    private long svd;
    private long rewriting;
    private long evaluation;
    private long selection;
    private long writing;
    /** Worker time inside the current sweep. */
    private final AtomicLong sweepRewriting = new AtomicLong();
    private final AtomicLong sweepEvaluation = new AtomicLong();

    enum Phase { SVD, REWRITING, EVALUATION, SELECTION, WRITING }

    /** Adds {@code nanos} of wall time to {@code phase}. */
    void add(Phase phase, long nanos) {
        switch (phase) {
            case SVD -> svd += nanos;
            case REWRITING -> rewriting += nanos;
            case EVALUATION -> evaluation += nanos;
            case SELECTION -> selection += nanos;
            case WRITING -> writing += nanos;
        }
    }

    /** Worker time building a candidate, from any thread. */
    void addSweepRewriting(long nanos) {
        sweepRewriting.addAndGet(nanos);
    }

    /** Worker time evaluating a candidate, from any thread. */
    void addSweepEvaluation(long nanos) {
        sweepEvaluation.addAndGet(nanos);
    }

    /** Ends a sweep that took {@code wallNanos}: shares it between rewriting and evaluation. */
    void endSweep(long wallNanos) {
        long build = sweepRewriting.getAndSet(0);
        long eval = sweepEvaluation.getAndSet(0);
        long sum = build + eval;
        if (sum == 0) {
            return;
        }
        long buildShare = Math.round((double) wallNanos * build / sum);
        rewriting += buildShare;
        evaluation += wallNanos - buildShare;
    }

    PhaseTimes times() {
        return PhaseTimes.builder().svd(Duration.ofNanos(svd)).rewriting(Duration.ofNanos(rewriting))
                .evaluation(Duration.ofNanos(evaluation)).selection(Duration.ofNanos(selection))
                .writing(Duration.ofNanos(writing)).total(Duration.ofNanos(System.nanoTime() - start)).build();
    }
}
