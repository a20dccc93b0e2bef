package dev.wsvd.calibration;

/**
 * Calibration could not run: the inputs do not fit the model (a missing input, a wrong type or shape, a non-finite
 * value), a file cannot be read, or ONNX Runtime failed. The message names the input, file or layer and the fix.
 */
public final class CalibrationException extends Exception {
    private static final long serialVersionUID = 1L;

    public CalibrationException(String message) {
        super(message);
    }

    public CalibrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
