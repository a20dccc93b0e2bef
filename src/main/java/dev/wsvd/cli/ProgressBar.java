package dev.wsvd.cli;

import dev.wsvd.ProgressListener;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress as one terminal line redrawn in place ({@code \r}): a bar, the count, elapsed time, ETA and the
 * last step's detail, cut to the terminal's width. Redraws at most ten times a second; notes print above it.
 */
final class ProgressBar implements ProgressListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_CELLS = 24;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final int width;
    private String phase;
    private PhaseClock clock;
    private long lastDraw = Long.MIN_VALUE;
    private int drawnLength;

    ProgressBar(PrintStream out, LongSupplier nanoTime, int width) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.width = Math.max(40, width);
    }

    /** The terminal's width from {@code COLUMNS} when the shell exports it, else 100. */
    static int terminalWidth() {
        try {
            String columns = System.getenv("COLUMNS");
            return columns == null ? 100 : Integer.parseInt(columns.trim());
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    @Override
    public void begin(String phase, int steps) {
        this.phase = phase;
        this.clock = new PhaseClock(nanoTime, steps);
        draw("", true);
    }

    @Override
    public void step(String detail) {
        if (clock == null) {
            return;
        }
        clock.advance();
        draw(detail == null ? "" : detail, clock.done() == clock.total());
    }

    @Override
    public void end() {
        if (clock == null) {
            return;
        }
        clear();
        out.println("wsvd: " + phase + ": " + clock.done() + "/" + clock.total() + " done in " + PhaseClock.format(clock.elapsed()));
        out.flush();
        clock = null;
        phase = null;
    }

    @Override
    public void note(String message) {
        clear();
        out.println("wsvd: " + message);
        if (clock != null) {
            draw("", true);
        } else {
            out.flush();
        }
    }

    private void draw(String detail, boolean force) {
        long now = nanoTime.getAsLong();
        if (!force && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        int total = Math.max(1, clock.total());
        int filled = (int) ((long) BAR_CELLS * clock.done() / total);
        String bar = "=".repeat(filled) + (filled < BAR_CELLS ? ">" + " ".repeat(BAR_CELLS - filled - 1) : "");
        String line = phase + " [" + bar + "] " + clock.done() + "/" + clock.total() + " " + PhaseClock.format(clock.elapsed())
                + " ETA " + PhaseClock.format(clock.eta()) + (detail.isEmpty() ? "" : "  " + detail);
        if (line.length() > width - 1) {
            line = line.substring(0, width - 2) + "…";
        }
        int pad = Math.max(0, drawnLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        drawnLength = line.length();
    }

    private void clear() {
        if (drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            drawnLength = 0;
        }
    }
}
