package dev.wsvd.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flushes subnormal (denormal) values to zero. A factor written with subnormal values computes the same outputs to
 * within far less than float rounding, but every multiply that touches one can take a slow path on x86 (microcode
 * assists, 10-100x slower per operation) unless the runtime happens to run with denormals flushed: a model split
 * from weights with dead channels can run slower than the original although it has fewer MACs. So wsvd writes
 * none: each value below the smallest normal number of the type it is stored in becomes zero.
 *
 * <p>The thresholds are the storage type's: {@link Float#MIN_NORMAL} (about 1.18e-38) for float32 and bfloat16,
 * {@link Double#MIN_NORMAL} for float64, and 2^-14 (about 6.1e-5) for float16, whose subnormals start much higher.
 */
public final class Subnormals {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Subnormals() {
    }

    /**
     * Sets every subnormal element of {@code tensor} (in its own type) to zero of the same sign.
     *
     * @return how many elements were flushed
     * @throws IllegalArgumentException if the tensor is read-only
     */
    public static long flushToZero(Tensor tensor) {
        if (tensor.isReadOnly()) {
            throw new IllegalArgumentException("cannot flush subnormals of a read-only tensor; flush a copy");
        }
        MemorySegment values = tensor.segment();
        long count = tensor.shape().size();
        long flushed = 0;
        switch (tensor.dtype()) {
            case F32 -> {
                for (long i = 0; i < count; i++) {
                    float v = values.getAtIndex(FLOAT, i);
                    if (v != 0 && Math.abs(v) < Float.MIN_NORMAL) {
                        values.setAtIndex(FLOAT, i, Math.copySign(0f, v));
                        flushed++;
                    }
                }
            }
            case F64 -> {
                for (long i = 0; i < count; i++) {
                    double v = values.getAtIndex(DOUBLE, i);
                    if (v != 0 && Math.abs(v) < Double.MIN_NORMAL) {
                        values.setAtIndex(DOUBLE, i, Math.copySign(0d, v));
                        flushed++;
                    }
                }
            }
            case F16, BF16 -> {
                // both: subnormal when the exponent field is all zeros and the mantissa is not
                int exponentMask = tensor.dtype() == DType.F16 ? 0x7C00 : 0x7F80;
                int mantissaMask = tensor.dtype() == DType.F16 ? 0x03FF : 0x007F;
                for (long i = 0; i < count; i++) {
                    short bits = values.getAtIndex(SHORT, i);
                    if ((bits & exponentMask) == 0 && (bits & mantissaMask) != 0) {
                        values.setAtIndex(SHORT, i, (short) (bits & 0x8000));
                        flushed++;
                    }
                }
            }
        }
        return flushed;
    }

    /** How many elements of {@code tensor} (in its own type) are subnormal. */
    public static long count(Tensor tensor) {
        long subnormal = 0;
        for (long i = 0; i < tensor.shape().size(); i++) {
            if (isSubnormal(tensor, i)) {
                subnormal++;
            }
        }
        return subnormal;
    }

    private static boolean isSubnormal(Tensor tensor, long index) {
        MemorySegment values = tensor.segment();
        return switch (tensor.dtype()) {
            case F32 -> {
                float v = values.getAtIndex(FLOAT, index);
                yield v != 0 && Math.abs(v) < Float.MIN_NORMAL;
            }
            case F64 -> {
                double v = values.getAtIndex(DOUBLE, index);
                yield v != 0 && Math.abs(v) < Double.MIN_NORMAL;
            }
            case F16 -> {
                short bits = values.getAtIndex(SHORT, index);
                yield (bits & 0x7C00) == 0 && (bits & 0x03FF) != 0;
            }
            case BF16 -> {
                short bits = values.getAtIndex(SHORT, index);
                yield (bits & 0x7F80) == 0 && (bits & 0x007F) != 0;
            }
        };
    }
}
