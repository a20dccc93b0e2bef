package dev.wsvd.cli;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Elapsed time and a linear ETA for a phase of {@code total} steps. */
final class PhaseClock {
    private final LongSupplier nanoTime;
    private final long start;
    private final int total;
    private int done;

    PhaseClock(LongSupplier nanoTime, int total) {
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.total = total;
    }

    /** Counts one step; returns the number done so far. */
    int advance() {
        return ++done;
    }

    int done() {
        return done;
    }

    int total() {
        return total;
    }

    Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - start);
    }

    /** Remaining time at the mean pace so far; null before the first step. */
    Duration eta() {
        if (done == 0) {
            return null;
        }
        long remaining = Math.max(0, total - done);
        return elapsed().multipliedBy(remaining).dividedBy(done);
    }

    /** {@code 1h02m}, {@code 3m07s}, {@code 12s}, {@code 0.4s}. */
    static String format(Duration duration) {
        if (duration == null) {
            return "?";
        }
        long seconds = duration.toSeconds();
        if (seconds >= 3600) {
            return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
        }
        if (seconds >= 60) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds >= 10) {
            return seconds + "s";
        }
        return String.format(java.util.Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
