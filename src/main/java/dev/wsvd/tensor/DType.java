package dev.wsvd.tensor;

import java.lang.foreign.ValueLayout;

/**
 * Element types a {@link Tensor} can hold.
 *
 * <p>Only {@link #F32} and {@link #F64} are computed on; the half-precision types are storage formats that
 * model files use, read element by element and widened to {@code float} (see {@link Tensor#to(DType)}).
 * Elements are stored in the platform's native byte order, which is what LAPACK and the Vector API expect.
 */
public enum DType {
    F32(4),
    F64(8),
    /** IEEE 754 binary16. */
    F16(2),
    /** bfloat16: the upper half of an IEEE 754 binary32. */
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Whether the linear algebra and SIMD kernels work on this type directly (otherwise widen first). */
    public boolean isComputeType() {
        return this == F32 || this == F64;
    }

    // Unaligned layouts: wrapped memory (a field inside a mapped protobuf, an .npy payload) has no alignment promise.
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** Reads element {@code index} of a segment holding this type, widened to double. */
    double read(java.lang.foreign.MemorySegment segment, long index) {
        return switch (this) {
            case F32 -> segment.getAtIndex(FLOAT, index);
            case F64 -> segment.getAtIndex(DOUBLE, index);
            case F16 -> Float.float16ToFloat(segment.getAtIndex(SHORT, index));
            case BF16 -> Float.intBitsToFloat((segment.getAtIndex(SHORT, index) & 0xFFFF) << 16);
        };
    }

    /** Writes {@code value} as element {@code index}, rounding to nearest even for the narrow types. */
    void write(java.lang.foreign.MemorySegment segment, long index, double value) {
        switch (this) {
            case F32 -> segment.setAtIndex(FLOAT, index, (float) value);
            case F64 -> segment.setAtIndex(DOUBLE, index, value);
            case F16 -> segment.setAtIndex(SHORT, index, Float.floatToFloat16(toFloatRoundingToOdd(value)));
            case BF16 -> segment.setAtIndex(SHORT, index, floatToBFloat16(toFloatRoundingToOdd(value)));
        }
    }

    /**
     * {@code value} as a float, rounded to odd: exact when representable, otherwise whichever neighbour has an
     * odd last bit. Rounding a double to float to nearest and then again to f16 can round twice the wrong way (a
     * value just above an f16 tie becomes the tie, which then goes to even); rounding to odd first keeps the
     * information that the value was not a tie, and since float has at least two more significand bits than
     * f16 or bf16, the second, nearest-even rounding is then correct (Boldo and Melquiond, 2008).
     */
    private static float toFloatRoundingToOdd(double value) {
        float nearest = (float) value;
        if ((double) nearest == value || Double.isNaN(value)) {
            return nearest;
        }
        int bits = Float.floatToRawIntBits(nearest);
        if (Math.abs((double) nearest) > Math.abs(value)) {
            bits--; // rounded away from zero (possibly to infinity): step back to the neighbour toward zero
        }
        return Float.intBitsToFloat(bits | 1);
    }

    private static short floatToBFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40); // keep it a (quiet) NaN after truncation
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
