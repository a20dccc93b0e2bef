package dev.wsvd.onnx.wire;

import java.io.IOException;

/**
 * A file or buffer that is not a usable ONNX model: not protobuf, truncated, without a graph, with external
 * data that cannot be found, or with a tensor whose data disagrees with its shape. The message names the
 * model and, where it applies, the tensor or layer.
 */
public final class OnnxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public OnnxFormatException(String message) {
        super(oneLine(message));
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * The message on one line, as every wsvd error is printed: names from a damaged file and ONNX Runtime's own
     * multi-line reports are quoted in it, so line breaks become spaces and other control characters {@code \xNN}.
     */
    private static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(message.length());
        message.strip().chars().forEach(c -> text.append(c == '\n' || c == '\r' ? " "
                : Character.isISOControl(c) ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return text.toString();
    }
}
