package dev.wsvd.runtime;

import java.util.Arrays;

/**
 * A model input or output as a session reports it.
 *
 * @param name        the value's name in the graph
 * @param elementType the element type in ONNX's lower-case spelling ({@code float}, {@code int64}, ...), or
 *                    {@code non-tensor} for sequences and maps
 * @param shape       the dimensions, -1 for a symbolic one
 */
public record ValueInfo(String name, String elementType, long[] shape) {
    /** The element type of float32 tensors. */
    public static final String FLOAT = "float";
    /** The element type of int64 tensors. */
    public static final String INT64 = "int64";

    /** Copies the shape. */
    public ValueInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + ": " + elementType + Arrays.toString(shape);
    }
}
