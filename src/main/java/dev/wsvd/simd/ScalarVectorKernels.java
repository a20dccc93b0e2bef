package dev.wsvd.simd;

import static dev.wsvd.simd.KernelChecks.checkRange;
import static dev.wsvd.simd.KernelChecks.checkScaling;
import static dev.wsvd.simd.KernelChecks.checkTails;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain loops, one element at a time: the fallback when the Vector API is missing or would be slow, and the
 * reference the vector kernels are tested against. Sums run strictly left to right.
 */
final class ScalarVectorKernels implements VectorKernels {
    // Unaligned: wrapped memory (an .npy payload, a field inside a mapped file) carries no alignment promise.
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    static final ScalarVectorKernels INSTANCE = new ScalarVectorKernels("no Vector API");

    /** Why these loops run rather than the Vector API, for {@link #description()}. */
    private final String reason;

    private ScalarVectorKernels(String reason) {
        this.reason = reason;
    }

    /** The same loops, described as chosen for {@code reason} (the CLI and reports show it). */
    static ScalarVectorKernels because(String reason) {
        return new ScalarVectorKernels(reason);
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String description() {
        return "scalar (" + reason + ")";
    }

    @Override
    public double sumOfSquaresF32(MemorySegment x, long offset, long count) {
        checkRange("x", x, offset, count, Float.BYTES);
        double sum = 0;
        for (long i = offset, end = offset + count; i < end; i++) {
            double value = x.getAtIndex(FLOAT, i);
            sum += value * value;
        }
        return sum;
    }

    @Override
    public double sumOfSquaresF64(MemorySegment x, long offset, long count) {
        checkRange("x", x, offset, count, Double.BYTES);
        double sum = 0;
        for (long i = offset, end = offset + count; i < end; i++) {
            double value = x.getAtIndex(DOUBLE, i);
            sum += value * value;
        }
        return sum;
    }

    @Override
    public double squaredDistanceF32(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long count) {
        checkRange("a", a, aOffset, count, Float.BYTES);
        checkRange("b", b, bOffset, count, Float.BYTES);
        double sum = 0;
        for (long i = 0; i < count; i++) {
            double difference = (double) a.getAtIndex(FLOAT, aOffset + i) - b.getAtIndex(FLOAT, bOffset + i);
            sum += difference * difference;
        }
        return sum;
    }

    @Override
    public double squaredDistanceF64(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long count) {
        checkRange("a", a, aOffset, count, Double.BYTES);
        checkRange("b", b, bOffset, count, Double.BYTES);
        double sum = 0;
        for (long i = 0; i < count; i++) {
            double difference = a.getAtIndex(DOUBLE, aOffset + i) - b.getAtIndex(DOUBLE, bOffset + i);
            sum += difference * difference;
        }
        return sum;
    }

    @Override
    public void scaleRowsF32(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.rows(), target, Float.BYTES);
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        for (int row = 0; row < source.rows(); row++) {
            float scale = scales.getAtIndex(FLOAT, scalesOffset + row);
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            for (int column = 0; column < source.columns(); column++) {
                to.setAtIndex(FLOAT, toRow + column, from.getAtIndex(FLOAT, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void scaleRowsF64(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.rows(), target, Double.BYTES);
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        for (int row = 0; row < source.rows(); row++) {
            double scale = scales.getAtIndex(DOUBLE, scalesOffset + row);
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            for (int column = 0; column < source.columns(); column++) {
                to.setAtIndex(DOUBLE, toRow + column, from.getAtIndex(DOUBLE, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void scaleColumnsF32(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.columns(), target, Float.BYTES);
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        for (int row = 0; row < source.rows(); row++) {
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            for (int column = 0; column < source.columns(); column++) {
                float scale = scales.getAtIndex(FLOAT, scalesOffset + column);
                to.setAtIndex(FLOAT, toRow + column, from.getAtIndex(FLOAT, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void scaleColumnsF64(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.columns(), target, Double.BYTES);
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        for (int row = 0; row < source.rows(); row++) {
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            for (int column = 0; column < source.columns(); column++) {
                double scale = scales.getAtIndex(DOUBLE, scalesOffset + column);
                to.setAtIndex(DOUBLE, toRow + column, from.getAtIndex(DOUBLE, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void addSquaredTails(MemorySegment x, long offset, int count, double scale, double[] tails) {
        checkTails(x, offset, count, tails);
        double[] squares = new double[count];
        for (int i = 0; i < count; i++) {
            double value = x.getAtIndex(DOUBLE, offset + i) * scale;
            squares[i] = value * value;
        }
        addSuffixSums(squares, tails);
    }

    /** {@code tails[r] += sum_{i >= r} squares[i]}, adding from the last (smallest) square up. */
    static void addSuffixSums(double[] squares, double[] tails) {
        double sum = 0;
        for (int i = squares.length - 1; i >= 0; i--) {
            sum += squares[i];
            tails[i] += sum;
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
