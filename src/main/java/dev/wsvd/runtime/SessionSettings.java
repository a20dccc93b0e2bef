package dev.wsvd.runtime;

/**
 * How the ONNX Runtime evaluators open a session for each model they score.
 *
 * <p>Each evaluation opens a fresh session (the candidate's weights differ every time), so session creation
 * is on the hot path: keep the optimization level modest unless the run time dominates. Intra-op threads are
 * the threads one session computes with; when a caller runs several evaluations at once it overrides them
 * per call (see the evaluator's thread budget) so the sessions share the cores instead of
 * oversubscribing them.
 *
 * @param intraOpThreads threads per session, or 0 for ONNX Runtime's default (one per physical core)
 * @param optimization the graph optimization level applied when a session is opened
 * @param logFailures  whether ONNX Runtime prints its own error line when a run fails (the failure is reported
 *                     through {@link SessionException} either way): off where a failure is an expected fallback
 */
public record SessionSettings(int intraOpThreads, Optimization optimization, boolean logFailures) {

    /** ONNX Runtime's default thread count and {@link Optimization#EXTENDED} graph optimizations. */
    public static final SessionSettings DEFAULT = new SessionSettings(0, Optimization.EXTENDED, true);

    /** Checks the thread count and optimization level. */
    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be 0 (ONNX Runtime's default) or positive, got " + intraOpThreads);
        }
        java.util.Objects.requireNonNull(optimization, "optimization");
    }

    /** These settings with another optimization level. */
    public SessionSettings withOptimization(Optimization level) {
        return new SessionSettings(intraOpThreads, level, logFailures);
    }

    /** These settings with ONNX Runtime's own error lines on or off. */
    public SessionSettings withFailureLog(boolean log) {
        return new SessionSettings(intraOpThreads, optimization, log);
    }

    /** ONNX Runtime's graph optimization levels, in increasing order of session-creation cost. */
    public enum Optimization {
        /** No graph rewriting: fastest to open, slowest to run. */
        NONE,
        /** Constant folding and redundant-node elimination. */
        BASIC,
        /** Basic plus operator fusions (attention, GELU, layer norm): usually the best trade for transformers. */
        EXTENDED,
        /** Everything, including layout changes for convolutions. */
        ALL
    }
}
