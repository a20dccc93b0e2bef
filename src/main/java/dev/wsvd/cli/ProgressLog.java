package dev.wsvd.cli;

import dev.wsvd.ProgressListener;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress as plain lines, for logs: one when a phase begins, about {@code linesPerPhase} as it advances
 * (each with the count, elapsed time and ETA), one when it ends, and every note.
 */
final class ProgressLog implements ProgressListener {
    static final int DEFAULT_LINES_PER_PHASE = 10;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final int linesPerPhase;
    private String phase;
    private PhaseClock clock;
    private int every;

    ProgressLog(PrintStream out, LongSupplier nanoTime, int linesPerPhase) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.linesPerPhase = Math.max(1, linesPerPhase);
    }

    @Override
    public void begin(String phase, int steps) {
        this.phase = phase;
        this.clock = new PhaseClock(nanoTime, steps);
        this.every = Math.max(1, (int) Math.ceil((double) steps / linesPerPhase));
        out.println("wsvd: " + phase + " (" + steps + ")");
    }

    @Override
    public void step(String detail) {
        if (clock == null) {
            return;
        }
        int done = clock.advance();
        if (done % every == 0 && done < clock.total()) {
            out.println("wsvd:   " + done + "/" + clock.total() + " (" + (100 * done / Math.max(1, clock.total())) + "%) "
                    + "elapsed " + PhaseClock.format(clock.elapsed()) + ", ETA " + PhaseClock.format(clock.eta())
                    + (detail == null || detail.isBlank() ? "" : "; last: " + detail));
        }
    }

    @Override
    public void end() {
        if (clock == null) {
            return;
        }
        out.println("wsvd: " + phase + ": " + clock.done() + "/" + clock.total() + " done in " + PhaseClock.format(clock.elapsed()));
        clock = null;
        phase = null;
    }

    @Override
    public void note(String message) {
        out.println("wsvd: " + message);
    }
}
