package dev.wsvd;

/**
 * A compression run could not finish: the model cannot be read or has nothing to compress, a candidate
 * could not be evaluated, the output cannot be written. The message names the file or layer involved and
 * what to do about it.
 */
public class CompressionException extends WsvdException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public CompressionException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public CompressionException(String message, Throwable cause) {
        super(message, cause);
    }
}
