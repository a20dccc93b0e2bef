package dev.wsvd.runtime;

/**
 * ONNX Runtime could not open or run a model, or the model's inputs and outputs are not what the caller
 * feeds and reads. The message names the model and what went wrong; callers add what they were doing.
 */
public final class SessionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public SessionException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
