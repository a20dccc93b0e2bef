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
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
