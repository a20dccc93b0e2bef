package dev.wsvd.calibration;

import java.util.Arrays;
import java.util.Objects;

/**
 * One model input's calibration values, first axis the samples: float32 or int64, whole in memory (inputs are small
 * next to the activations they produce, which are never held whole).
 *
 * @param name   the model input it feeds
 * @param shape  its shape, {@code [samples, ...]}
 * @param floats the values for a float input, else null
 * @param longs  the values for an integer input, else null
 * @param source what messages call it (a file, or {@code in-memory input x})
 */
public record InputArray(String name, long[] shape, float[] floats, long[] longs, String source) {

    public InputArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        shape = shape.clone();
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException(source + ": give float or integer values, exactly one of them");
        }
        if (shape.length < 1 || shape[0] < 1) {
            throw new IllegalArgumentException(source + " has shape " + Arrays.toString(shape)
                    + "; calibration inputs have the samples on their first axis, at least one");
        }
        long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        long length = floats != null ? floats.length : longs.length;
        if (size != length) {
            throw new IllegalArgumentException(source + " has shape " + Arrays.toString(shape) + " (" + size
                    + " values) but holds " + length + " values");
        }
        if (floats != null) {
            for (int i = 0; i < floats.length; i++) {
                if (!Float.isFinite(floats[i])) {
                    throw new IllegalArgumentException(source + " holds " + floats[i] + " at sample " + (i / (size / shape[0]))
                            + " (flat index " + i + "); calibration inputs must be finite");
                }
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of samples (the first axis). */
    public int samples() {
        return Math.toIntExact(shape[0]);
    }

    /** Values per sample. */
    long sampleSize() {
        long size = 1;
        for (int axis = 1; axis < shape.length; axis++) {
            size *= shape[axis];
        }
        return size;
    }

    /** The element type in ONNX's lower-case spelling, as the session reports inputs. */
    String elementType() {
        return floats != null ? "float" : "int64";
    }
}
