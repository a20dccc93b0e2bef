package dev.wsvd.compress;

import java.io.PrintStream;

/**
 * Hears how a compression run advances: phases with a known number of steps (decomposing layers,
 * evaluating candidates), and notes worth a line (a resumed scores file, a pattern that matched nothing).
 *
 * <p>Calls come from one thread at a time, in order: {@code begin}, any number of {@code step}s and
 * {@code note}s, {@code end}; notes may also come outside a phase. Implementations must not throw.
 *
 * <p>{@link #console(PrintStream)} picks what a person or a CI log wants: a progress bar with an ETA on a
 * terminal, a few plain lines otherwise.
 */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener SILENT = new ProgressListener() {
        @Override
        public void begin(String phase, int steps) {
        }

        @Override
        public void step(String detail) {
        }

        @Override
        public void end() {
        }

        @Override
        public void note(String message) {
        }
    };

    /**
     * A phase begins.
     *
     * @param phase what is being done, such as {@code evaluating candidates}
     * @param steps how many steps it has, at least 0
     */
    void begin(String phase, int steps);

    /** One step of the current phase is done; {@code detail} says which (a layer, a ratio, a score). */
    void step(String detail);

    /** The current phase is done. */
    void end();

    /** Something the user should read, such as a warning; one line. */
    void note(String message);

    /**
     * Reports to {@code out}: a redrawn progress bar with an ETA when the JVM has an interactive terminal, or
     * about ten plain lines per phase otherwise (so CI logs stay short).
     */
    static ProgressListener console(PrintStream out) {
        var console = System.console();
        boolean terminal = console != null && console.isTerminal() && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM"));
        return terminal ? new ProgressBar(out, System::nanoTime, ProgressBar.terminalWidth())
                : new ProgressLog(out, System::nanoTime, ProgressLog.DEFAULT_LINES_PER_PHASE);
    }
}
