package dev.wsvd;

/**
 * The root of what wsvd throws when a model cannot be compressed or scored; catch it to handle every such
 * failure in one place. Each message names the model, layer or file involved and what to do about it.
 *
 * <p>Subtypes: {@link CompressionException} (a run could not finish: unreadable or invalid model, nothing to
 * compress, native library missing, output not writable) with {@link ModelFormatException} for input that is
 * not a valid model; {@link EvaluationException} (an evaluator could not score a model).
 */
public class WsvdException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public WsvdException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public WsvdException(String message, Throwable cause) {
        super(message, cause);
    }
}
