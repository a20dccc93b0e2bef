package dev.wsvd;

/**
 * Hears how a compression run advances: phases with a known number of steps (decomposing layers,
 * evaluating candidates), and notes worth a line (a resumed scores file, a pattern that matched nothing).
 *
 * <p>Calls come from one thread at a time, in order: {@code begin}, any number of {@code step}s and
 * {@code note}s, {@code end}; notes may also come outside a phase. Implementations must not throw.
 *
 * <p>The command line draws a progress bar with an ETA on a terminal and a few plain lines otherwise; a server
 * might log or count instead.
 */
public interface ProgressListener {
    // Every method does nothing by default, so a listener overrides only what it uses (a server that only logs notes).

    /** Ignores everything. */
    ProgressListener SILENT = new ProgressListener() {
    };

    /**
     * A phase begins.
     *
     * @param phase what is being done, such as {@code evaluating candidates}
     * @param steps how many steps it has, at least 0
     */
    default void begin(String phase, int steps) {
    }

    /** One step of the current phase is done; {@code detail} says which (a layer, a ratio, a score). */
    default void step(String detail) {
    }

    /** The current phase is done. */
    default void end() {
    }

    /** Something the user should read, such as a warning; one line. */
    default void note(String message) {
    }
}
