package dev.wsvd.cli;

import dev.wsvd.ProgressListener;

import java.io.PrintStream;

/** Picks what a person or a CI log wants to see of a run's progress. */
final class ConsoleProgress {
    private ConsoleProgress() {
    }

    /**
     * Reports to {@code out}: a redrawn progress bar with an ETA when the JVM has an interactive terminal, or
     * about ten plain lines per phase otherwise (so CI logs stay short).
     */
    static ProgressListener to(PrintStream out) {
        var console = System.console();
        boolean terminal = console != null && console.isTerminal() && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM"));
        return terminal ? new ProgressBar(out, System::nanoTime, ProgressBar.terminalWidth())
                : new ProgressLog(out, System::nanoTime, ProgressLog.DEFAULT_LINES_PER_PHASE);
    }
}
