package dev.wsvd;

/**
 * An evaluation could not produce a score: the candidate model does not load or run, its inputs or outputs
 * do not match what the evaluator feeds and reads, or its output is not a number. The message names the
 * model (see {@link ModelSource#description()}) and what went wrong.
 */
public class EvaluationException extends WsvdException {
    private static final long serialVersionUID = 1L;

    /** An evaluation failure described by {@code message}. */
    public EvaluationException(String message) {
        super(message);
    }

    /** An evaluation failure described by {@code message}, caused by {@code cause}. */
    public EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
