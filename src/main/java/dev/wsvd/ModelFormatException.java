package dev.wsvd;

/**
 * The input is not a model wsvd can read: not ONNX, truncated, inconsistent (a layer's attributes disagree with
 * its weight), or holding NaN or infinite weights. The message names the file and the element or layer; the fix
 * is a valid model, not a retry.
 */
public class ModelFormatException extends CompressionException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** A problem described by {@code message}, found by {@code cause}. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
