package dev.wsvd.simd;

import java.lang.foreign.MemorySegment;

/**
 * The element-wise loops of weight SVD: forming factors by scaling rows or columns with singular values,
 * and measuring reconstruction error. One implementation uses the Vector API, one is plain scalar Java;
 * {@link Vectorization} picks one when the JVM starts.
 *
 * <p>Segments hold elements in the platform's native byte order. Offsets, counts and strides count
 * elements (4 bytes for f32, 8 for f64), not bytes. Every method checks its ranges against the segments
 * before touching memory and throws {@link IndexOutOfBoundsException} when one does not fit, so a bad call
 * never writes part of its output.
 *
 * <p><b>Accumulation.</b> Sums are accumulated and returned in {@code double} for f32 input as well: the
 * square of a float is exact in double (24-bit significands give at most 48 bits), so the only rounding is in
 * the additions, at 2<sup>-53</sup> instead of 2<sup>-24</sup>. A float accumulator over a million squares can
 * lose several digits, which is the scale of the reconstruction errors these sums exist to measure. The two
 * implementations add in different orders (the vector one keeps partial sums per lane), so their results
 * agree to a relative {@code ~n * 2^-53}, not bit for bit; all terms are non-negative, so that bound holds
 * relative to the sum itself.
 *
 * <p><b>Scaling</b> multiplies each element once, a single correctly rounded operation, so both
 * implementations produce bit-identical results. The target block may be the source block itself (same
 * segment, offset and row stride) for in-place scaling; any other overlap between them is rejected.
 */
public interface VectorKernels {

    /** Short name of the implementation: {@code "panama"} or {@code "scalar"}. */
    String name();

    /** One line for logs, the CLI and reports, e.g. {@code "panama (512-bit vectors: 16 f32 / 8 f64 lanes)"}. */
    String description();

    /** Sum of squares of {@code count} f32 elements starting at element {@code offset}. */
    double sumOfSquaresF32(MemorySegment x, long offset, long count);

    /** Sum of squares of {@code count} f64 elements starting at element {@code offset}. */
    double sumOfSquaresF64(MemorySegment x, long offset, long count);

    /** {@code sum (a_i - b_i)^2} over {@code count} f32 elements; differences are taken in double. */
    double squaredDistanceF32(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long count);

    /** {@code sum (a_i - b_i)^2} over {@code count} f64 elements. */
    double squaredDistanceF64(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long count);

    /**
     * {@code target(i, j) = source(i, j) * scales[scalesOffset + i]} for f32 blocks of equal size: row
     * {@code i} times the {@code i}-th scale, which forms {@code S · Vt} from a spectrum and {@code Vt}.
     */
    void scaleRowsF32(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target);

    /** The f64 form of {@link #scaleRowsF32}. */
    void scaleRowsF64(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target);

    /**
     * {@code target(i, j) = source(i, j) * scales[scalesOffset + j]} for f32 blocks of equal size: column
     * {@code j} times the {@code j}-th scale, which forms {@code U · S}. Pass {@code sqrt(S)} as the scales for
     * balanced factors.
     */
    void scaleColumnsF32(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target);

    /** The f64 form of {@link #scaleColumnsF32}. */
    void scaleColumnsF64(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target);

    /**
     * Adds the tail sums of squares of {@code count} f64 values, each multiplied by {@code scale} first, to
     * {@code tails}: {@code tails[r] += sum_{i=r}^{count-1} (x_i * scale)^2} for {@code r = 0..count-1}. For a
     * spectrum these are the squared errors of truncating it to every rank (Eckart-Young). f64 only: a spectrum
     * is short, and an f32 one widens to f64 exactly.
     *
     * <p>Pass a power of two as {@code scale}: it is then exact, and lets huge or tiny spectra be squared
     * without overflow or underflow. Each sum runs from the smallest value up, never as total minus prefix,
     * so a small tail keeps its digits next to a large total. The squares are independent (the Vector API
     * forms them); the sums are one dependent chain in a fixed order, so both implementations agree bit for bit.
     */
    void addSquaredTails(MemorySegment x, long offset, int count, double scale, double[] tails);
}
