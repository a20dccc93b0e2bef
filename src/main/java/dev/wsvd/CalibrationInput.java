package dev.wsvd;

import java.util.Arrays;
import java.util.Objects;

/**
 * The calibration values of one model input, in memory: the samples on the first axis, float32 or int64. For a
 * sequence model, an int64 {@code attention_mask} of shape {@code [samples, positions]} also tells calibration which
 * positions are padding (they are not counted).
 *
 * @param name   the model input
 * @param shape  {@code [samples, ...]}
 * @param floats the values of a float input, or null
 * @param longs  the values of an int64 input, or null
 */
public record CalibrationInput(String name, long[] shape, float[] floats, long[] longs) {

    /** Checks that exactly one kind of values is given, as many as the shape holds. */
    public CalibrationInput {
        Checks.requireText(name, "calibration input name");
        shape = Objects.requireNonNull(shape, "shape").clone();
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException("calibration input " + name + ": give float or int64 values, exactly one");
        }
        long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        long length = floats != null ? floats.length : longs.length;
        if (shape.length == 0 || shape[0] < 1 || size != length) {
            throw new IllegalArgumentException("calibration input " + name + " has shape " + Arrays.toString(shape) + " ("
                    + size + " values, the first axis the samples) but " + length + " values");
        }
    }

    /** A float32 input of {@code shape} ({@code [samples, ...]}); the array is used as it is, not copied. */
    public static CalibrationInput ofFloats(String name, float[] values, long... shape) {
        return new CalibrationInput(name, shape, Objects.requireNonNull(values, "values"), null);
    }

    /** An int64 input of {@code shape} ({@code [samples, ...]}), such as token ids or an attention mask. */
    public static CalibrationInput ofLongs(String name, long[] values, long... shape) {
        return new CalibrationInput(name, shape, null, Objects.requireNonNull(values, "values"));
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
