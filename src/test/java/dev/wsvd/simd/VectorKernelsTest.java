package dev.wsvd.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the scalar ones and against independent truth, over lengths that hit every
 * loop boundary: empty, tiny, each lane count -1/+0/+1 (f32 lanes, the f32 lanes that widen into one f64
 * vector, f64 lanes) and the 4x-unrolled step around them, odd sizes, 1000 and about a million.
 *
 * <p>Vector sizes. The kernels' species are fixed when their class initializes, so each size needs a JVM of
 * its own (as Lucene's tests do with {@code tests.vectorsize}). A full build ({@code ./wsvd test}) runs this
 * class three times, with {@code -Dwsvd.simd.bits=128}, {@code 256} and {@code 512} (the pom's
 * {@code simd-vector-sizes} profile, which steps aside whenever {@code -Dtest} picks tests); one size alone:
 * {@code ./wsvd test -Dtest=VectorKernelsTest -Dwsvd.simd.bits=256}. Without the property the CPU's preferred
 * size runs. A size wider than the CPU's (512 bits on a machine with AVX2 only) runs emulated by the Vector API:
 * slower, but the same lane counts, loop bounds and tails, which is what these tests check.
 *
 * <p>Tolerances. Sums of n non-negative terms accumulated in double, in any order, are within
 * {@code (n + 1) * 2^-53} of the exact sum relative to the sum (one rounding per square for f64, one per
 * addition). Two implementations may sit on opposite sides, hence {@code 2 (n + 2) 2^-53} between them.
 * Scaling multiplies each element once, so both must agree bit for bit.
 */
class VectorKernelsTest {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private final VectorKernels scalar = Vectorization.scalar();
    private final Arena arena = Arena.ofConfined();
    private final Random random = new Random(20250611);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private final VectorKernels panama = Vectorization.panama().orElseThrow(
            () -> new AssertionError("the build's JVM flags add jdk.incubator.vector, yet: " + Vectorization.panamaUnavailableReason()));

    /** Each run is at the size it was asked for: the pom's three runs really cover three sizes. */
    @Test
    void runsAtTheRequestedVectorSize() {
        int expected = Integer.getInteger(Vectorization.BITS_PROPERTY, VectorShape.preferredShape().vectorBitSize());
        assertEquals(expected, PanamaVectorKernels.bitSize());
        assertTrue(panama.description().startsWith("panama (" + expected + "-bit vectors: " + expected / 32 + " f32 / "
                + expected / 64 + " f64 lanes"), panama.description());
        assertEquals(expected > VectorShape.preferredShape().vectorBitSize(), panama.description().contains("emulated"),
                panama.description());
    }

    static long[] lengths() {
        TreeSet<Long> lengths = new TreeSet<>();
        for (long n : new long[] {0, 1, 2, 3, 5, 7, 13, 1000, 1023, 1025, (1 << 20) + 13}) {
            lengths.add(n);
        }
        int bits = PanamaVectorKernels.bitSize();
        int[] laneCounts = {bits / Float.SIZE, bits / Double.SIZE}; // the f64 count is also the widening f32 one
        for (int lanes : laneCounts) {
            for (int step : new int[] {lanes, 2 * lanes, 4 * lanes}) {
                lengths.add((long) step - 1);
                lengths.add((long) step);
                lengths.add((long) step + 1);
            }
        }
        return lengths.stream().mapToLong(Long::longValue).toArray();
    }

    /** Lengths without the million-element ones, for the tests that build a BigDecimal reference. */
    static long[] moderateLengths() {
        return LongStream.of(lengths()).filter(n -> n <= 5000).toArray();
    }

    private static double sumTolerance(long n, double sum) {
        return 2.0 * (n + 2) * 0x1p-53 * sum;
    }

    private MemorySegment gaussianFloats(long n, int offset) {
        MemorySegment segment = arena.allocate((n + offset) * Float.BYTES, 4);
        for (long i = 0; i < n + offset; i++) {
            segment.setAtIndex(FLOAT, i, (float) random.nextGaussian());
        }
        return segment;
    }

    private MemorySegment gaussianDoubles(long n, int offset) {
        MemorySegment segment = arena.allocate((n + offset) * Double.BYTES, 8);
        for (long i = 0; i < n + offset; i++) {
            segment.setAtIndex(DOUBLE, i, random.nextGaussian());
        }
        return segment;
    }

    @Test
    void sumOfSquaresAgreesWithScalarAndExactSumF32() {
        for (long n : lengths()) {
            for (int offset : new int[] {0, 3}) {
                MemorySegment x = gaussianFloats(n, offset);
                double expected = scalar.sumOfSquaresF32(x, offset, n);
                double actual = panama.sumOfSquaresF32(x, offset, n);
                assertEquals(expected, actual, sumTolerance(n, expected), "n=" + n + " offset=" + offset);
            }
        }
        for (long n : moderateLengths()) {
            MemorySegment x = gaussianFloats(n, 0);
            BigDecimal exact = BigDecimal.ZERO;
            for (long i = 0; i < n; i++) {
                BigDecimal value = new BigDecimal(x.getAtIndex(FLOAT, i));
                exact = exact.add(value.multiply(value));
            }
            double truth = exact.doubleValue();
            assertEquals(truth, panama.sumOfSquaresF32(x, 0, n), sumTolerance(n, truth) / 2, "panama n=" + n);
            assertEquals(truth, scalar.sumOfSquaresF32(x, 0, n), sumTolerance(n, truth) / 2, "scalar n=" + n);
        }
    }

    @Test
    void sumOfSquaresAgreesWithScalarAndExactSumF64() {
        for (long n : lengths()) {
            for (int offset : new int[] {0, 1}) {
                MemorySegment x = gaussianDoubles(n, offset);
                double expected = scalar.sumOfSquaresF64(x, offset, n);
                assertEquals(expected, panama.sumOfSquaresF64(x, offset, n), sumTolerance(n, expected), "n=" + n + " offset=" + offset);
            }
        }
        for (long n : moderateLengths()) {
            MemorySegment x = gaussianDoubles(n, 0);
            BigDecimal exact = BigDecimal.ZERO;
            for (long i = 0; i < n; i++) {
                BigDecimal value = new BigDecimal(x.getAtIndex(DOUBLE, i));
                exact = exact.add(value.multiply(value));
            }
            double truth = exact.doubleValue();
            assertEquals(truth, panama.sumOfSquaresF64(x, 0, n), sumTolerance(n, truth) / 2, "panama n=" + n);
            assertEquals(truth, scalar.sumOfSquaresF64(x, 0, n), sumTolerance(n, truth) / 2, "scalar n=" + n);
        }
    }

    /** Small integers: every partial sum is an integer below 2^53, so any order is exact. */
    @Test
    void sumOfSquaresOfSmallIntegersIsExact() {
        for (long n : lengths()) {
            MemorySegment floats = arena.allocate(Math.max(1, n) * Float.BYTES, 4);
            MemorySegment doubles = arena.allocate(Math.max(1, n) * Double.BYTES, 8);
            long exact = 0;
            for (long i = 0; i < n; i++) {
                long value = i % 1025 - 512;
                floats.setAtIndex(FLOAT, i, value);
                doubles.setAtIndex(DOUBLE, i, value);
                exact += value * value;
            }
            for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
                assertEquals(exact, kernels.sumOfSquaresF32(floats, 0, n), kernels.name() + " f32 n=" + n);
                assertEquals(exact, kernels.sumOfSquaresF64(doubles, 0, n), kernels.name() + " f64 n=" + n);
            }
        }
    }

    @Test
    void squaredDistanceAgreesWithScalarF32AndF64() {
        for (long n : lengths()) {
            MemorySegment a32 = gaussianFloats(n, 2);
            MemorySegment b32 = gaussianFloats(n, 5);
            double expected32 = scalar.squaredDistanceF32(a32, 2, b32, 5, n);
            assertEquals(expected32, panama.squaredDistanceF32(a32, 2, b32, 5, n), sumTolerance(n, expected32), "f32 n=" + n);
            MemorySegment a64 = gaussianDoubles(n, 1);
            MemorySegment b64 = gaussianDoubles(n, 0);
            double expected64 = scalar.squaredDistanceF64(a64, 1, b64, 0, n);
            assertEquals(expected64, panama.squaredDistanceF64(a64, 1, b64, 0, n), sumTolerance(n, expected64), "f64 n=" + n);
        }
    }

    @Test
    void squaredDistanceOfIntegersIsExactAndZeroAgainstItself() {
        for (long n : lengths()) {
            MemorySegment a = arena.allocate(Math.max(1, n) * Float.BYTES, 4);
            MemorySegment b = arena.allocate(Math.max(1, n) * Float.BYTES, 4);
            MemorySegment a64 = arena.allocate(Math.max(1, n) * Double.BYTES, 8);
            MemorySegment b64 = arena.allocate(Math.max(1, n) * Double.BYTES, 8);
            long exact = 0;
            for (long i = 0; i < n; i++) {
                long x = i % 1000;
                long y = (3 * i) % 1001;
                a.setAtIndex(FLOAT, i, x);
                b.setAtIndex(FLOAT, i, y);
                a64.setAtIndex(DOUBLE, i, x);
                b64.setAtIndex(DOUBLE, i, y);
                exact += (x - y) * (x - y);
            }
            for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
                assertEquals(exact, kernels.squaredDistanceF32(a, 0, b, 0, n), kernels.name() + " f32 n=" + n);
                assertEquals(exact, kernels.squaredDistanceF64(a64, 0, b64, 0, n), kernels.name() + " f64 n=" + n);
                assertEquals(0.0, kernels.squaredDistanceF32(a, 0, a, 0, n), kernels.name() + " self n=" + n);
            }
        }
    }

    /**
     * The reason sums run in double: a float accumulator adding 0.01 a million times drifts by more than 1e-3
     * relative; in double the bound is {@code n * 2^-53}, about 1.2e-10.
     */
    @Test
    void f32SumsKeepDoublePrecision() {
        int n = 1 << 20;
        MemorySegment x = arena.allocate((long) n * Float.BYTES, 4);
        float tenth = 0.1f;
        for (int i = 0; i < n; i++) {
            x.setAtIndex(FLOAT, i, tenth);
        }
        double exact = (double) n * ((double) tenth * tenth); // each square is exact in double, the sum nearly so
        for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
            assertEquals(exact, kernels.sumOfSquaresF32(x, 0, n), sumTolerance(n, exact) / 2, kernels.name());
        }
    }

    @Test
    void scaleRowsAndColumnsAreBitIdenticalAcrossImplementationsF32() {
        int[] widths = LongStream.of(lengths()).filter(n -> n <= 300).mapToInt(n -> (int) n).toArray();
        for (int columns : widths) {
            for (int rows : new int[] {0, 1, 3}) {
                long stride = columns + 5; // a block of leading columns, as in U[:, :r]
                MemorySegment source = gaussianFloats(rows * stride + 2, 0);
                MemorySegment scales = gaussianFloats(Math.max(rows, columns) + 1, 0);
                MatrixBlock block = new MatrixBlock(source, 2, rows, columns, stride);
                for (boolean byRows : new boolean[] {true, false}) {
                    MemorySegment fromScalar = arena.allocate(Math.max(1, rows * columns) * 4L, 4);
                    MemorySegment fromPanama = arena.allocate(Math.max(1, rows * columns) * 4L, 4);
                    MatrixBlock scalarTarget = MatrixBlock.contiguous(fromScalar, 0, rows, columns);
                    MatrixBlock panamaTarget = MatrixBlock.contiguous(fromPanama, 0, rows, columns);
                    if (byRows) {
                        scalar.scaleRowsF32(block, scales, 1, scalarTarget);
                        panama.scaleRowsF32(block, scales, 1, panamaTarget);
                    } else {
                        scalar.scaleColumnsF32(block, scales, 1, scalarTarget);
                        panama.scaleColumnsF32(block, scales, 1, panamaTarget);
                    }
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < columns; j++) {
                            float value = source.getAtIndex(FLOAT, 2 + i * stride + j);
                            float scale = scales.getAtIndex(FLOAT, 1 + (byRows ? i : j));
                            String where = (byRows ? "rows " : "columns ") + rows + "x" + columns + " at (" + i + ", " + j + ")";
                            assertEquals(value * scale, fromScalar.getAtIndex(FLOAT, (long) i * columns + j), where);
                            assertEquals(Float.floatToRawIntBits(value * scale),
                                    Float.floatToRawIntBits(fromPanama.getAtIndex(FLOAT, (long) i * columns + j)), where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void scaleRowsAndColumnsAreBitIdenticalAcrossImplementationsF64() {
        int[] widths = LongStream.of(lengths()).filter(n -> n <= 300).mapToInt(n -> (int) n).toArray();
        for (int columns : widths) {
            int rows = 3;
            long stride = columns + 1;
            MemorySegment source = gaussianDoubles(rows * stride, 0);
            MemorySegment scales = gaussianDoubles(Math.max(rows, columns), 0);
            MatrixBlock block = new MatrixBlock(source, 0, rows, columns, stride);
            MemorySegment a = arena.allocate(Math.max(1, rows * columns) * 8L, 8);
            MemorySegment b = arena.allocate(Math.max(1, rows * columns) * 8L, 8);
            scalar.scaleColumnsF64(block, scales, 0, MatrixBlock.contiguous(a, 0, rows, columns));
            panama.scaleColumnsF64(block, scales, 0, MatrixBlock.contiguous(b, 0, rows, columns));
            assertArrayEquals(a.toArray(ValueLayout.JAVA_DOUBLE), b.toArray(ValueLayout.JAVA_DOUBLE), "columns, width " + columns);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    assertEquals(source.getAtIndex(DOUBLE, i * stride + j) * scales.getAtIndex(DOUBLE, j), a.getAtIndex(DOUBLE, (long) i * columns + j));
                }
            }
            scalar.scaleRowsF64(block, scales, 0, MatrixBlock.contiguous(a, 0, rows, columns));
            panama.scaleRowsF64(block, scales, 0, MatrixBlock.contiguous(b, 0, rows, columns));
            assertArrayEquals(a.toArray(ValueLayout.JAVA_DOUBLE), b.toArray(ValueLayout.JAVA_DOUBLE), "rows, width " + columns);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    assertEquals(source.getAtIndex(DOUBLE, i * stride + j) * scales.getAtIndex(DOUBLE, i), a.getAtIndex(DOUBLE, (long) i * columns + j));
                }
            }
        }
    }

    @Test
    void scalesInPlaceWhenTargetIsTheSourceBlock() {
        for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
            int rows = 4;
            int columns = 37;
            MemorySegment matrix = arena.allocate(rows * columns * 4L, 4);
            MemorySegment scales = arena.allocate(columns * 4L, 4);
            for (int i = 0; i < rows * columns; i++) {
                matrix.setAtIndex(FLOAT, i, i);
            }
            for (int j = 0; j < columns; j++) {
                scales.setAtIndex(FLOAT, j, j % 2 == 0 ? 2f : 0.5f);
            }
            MatrixBlock block = MatrixBlock.contiguous(matrix, 0, rows, columns);
            kernels.scaleColumnsF32(block, scales, 0, block);
            kernels.scaleRowsF32(block, scales, 0, block);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    float expected = (i * columns + j) * (j % 2 == 0 ? 2f : 0.5f) * (i % 2 == 0 ? 2f : 0.5f);
                    assertEquals(expected, matrix.getAtIndex(FLOAT, (long) i * columns + j), kernels.name() + " (" + i + ", " + j + ")");
                }
            }
        }
    }

    /**
     * Tail sums agree bit for bit (the same squares added in the same order) and add onto what the array holds;
     * truth: the sums by a plain loop over the scaled squares.
     */
    @Test
    void squaredTailsAreBitIdenticalAcrossImplementationsAndAddOn() {
        for (long length : moderateLengths()) {
            int n = (int) length;
            MemorySegment values = gaussianDoubles(n, 2);
            double scale = 0x1p-3;
            double[] expected = new double[n + 1];
            double sum = 0;
            for (int i = n - 1; i >= 0; i--) {
                double value = values.getAtIndex(DOUBLE, 2 + i) * scale;
                sum += value * value;
                expected[i] = 1 + sum;
            }
            expected[n] = 1;
            for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
                double[] tails = new double[n + 1];
                java.util.Arrays.fill(tails, 1);
                kernels.addSquaredTails(values, 2, n, scale, tails);
                assertArrayEquals(expected, tails, kernels.name() + ", n = " + n);
            }
        }
    }

    /** The Vector API cannot load from heap segments over float[]; those calls must still work (scalar path). */
    @Test
    void heapSegmentsOverFloatArraysWork() {
        float[] values = new float[101];
        float[] scales = new float[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 50;
            scales[i] = 3;
        }
        MemorySegment x = MemorySegment.ofArray(values);
        assertEquals(2 * 42925.0, panama.sumOfSquaresF32(x, 0, 101)); // 2 * sum_{k=1}^{50} k^2
        float[] out = new float[101];
        panama.scaleColumnsF32(MatrixBlock.contiguous(x, 0, 1, 101), MemorySegment.ofArray(scales), 0,
                MatrixBlock.contiguous(MemorySegment.ofArray(out), 0, 1, 101));
        for (int i = 0; i < out.length; i++) {
            assertEquals(3f * (i - 50), out[i]);
        }
    }

    @Test
    void rejectsRangesOutsideTheSegmentBeforeWriting() {
        for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
            MemorySegment x = arena.allocate(10 * 4L, 4);
            assertThrows(IndexOutOfBoundsException.class, () -> kernels.sumOfSquaresF32(x, 0, 11));
            assertThrows(IndexOutOfBoundsException.class, () -> kernels.sumOfSquaresF32(x, 8, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> kernels.sumOfSquaresF64(x, 0, 6));
            assertThrows(IndexOutOfBoundsException.class, () -> kernels.sumOfSquaresF32(x, -1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> kernels.squaredDistanceF32(x, 0, x, 1, 10));
            assertThrows(IndexOutOfBoundsException.class, () -> kernels.addSquaredTails(x, 3, 3, 1, new double[4]));
            assertThrows(IndexOutOfBoundsException.class, () -> kernels.addSquaredTails(x, 0, 3, 1, new double[2]));

            MemorySegment target = arena.allocate(12 * 4L, 4);
            target.fill((byte) 0x11);
            MemorySegment before = arena.allocate(12 * 4L, 4);
            before.copyFrom(target);
            MatrixBlock tooTall = new MatrixBlock(x, 0, 3, 3, 4); // needs elements up to index 10
            MatrixBlock ok = MatrixBlock.contiguous(target, 0, 3, 3);
            var e = assertThrows(IndexOutOfBoundsException.class, () -> kernels.scaleRowsF32(tooTall, x, 0, ok));
            assertTrue(e.getMessage().contains("source"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class,
                    () -> kernels.scaleColumnsF32(MatrixBlock.contiguous(x, 0, 3, 3), x, 8, ok)); // scales [8, 11)
            assertEquals(-1, target.mismatch(before), kernels.name() + " wrote before failing");
        }
    }

    @Test
    void rejectsMismatchedPartlyOverlappingAndReadOnlyTargets() {
        for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
            MemorySegment memory = arena.allocate(100 * 4L, 4);
            MemorySegment scales = arena.allocate(10 * 4L, 4);
            MatrixBlock source = MatrixBlock.contiguous(memory, 0, 3, 4);
            assertThrows(IllegalArgumentException.class,
                    () -> kernels.scaleRowsF32(source, scales, 0, MatrixBlock.contiguous(memory, 50, 4, 3)));
            var overlap = assertThrows(IllegalArgumentException.class,
                    () -> kernels.scaleRowsF32(source, scales, 0, MatrixBlock.contiguous(memory, 2, 3, 4)));
            assertTrue(overlap.getMessage().contains("overlaps"), overlap.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> kernels.scaleRowsF32(source, scales, 0, new MatrixBlock(memory, 0, 3, 4, 5))); // same start, other stride
            var readOnly = assertThrows(IllegalArgumentException.class,
                    () -> kernels.scaleColumnsF32(source, scales, 0, MatrixBlock.contiguous(memory.asReadOnly(), 50, 3, 4)));
            assertTrue(readOnly.getMessage().contains("read-only"), readOnly.getMessage());
            // disjoint blocks in one segment are fine
            kernels.scaleRowsF32(source, scales, 0, MatrixBlock.contiguous(memory, 12, 3, 4));
        }
    }

    @Test
    void matrixBlockRejectsImpossibleShapes() {
        MemorySegment memory = arena.allocate(64);
        assertThrows(IllegalArgumentException.class, () -> new MatrixBlock(memory, 0, 2, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> new MatrixBlock(memory, -1, 2, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new MatrixBlock(memory, 0, -2, 4, 4));
        assertThrows(NullPointerException.class, () -> new MatrixBlock(null, 0, 2, 4, 4));
    }

    @Test
    void failsCleanlyOnMemoryOfAClosedArena() {
        MemorySegment x;
        try (Arena shortLived = Arena.ofConfined()) {
            x = shortLived.allocate(64);
        }
        MemorySegment closed = x;
        for (VectorKernels kernels : new VectorKernels[] {scalar, panama}) {
            assertThrows(IllegalStateException.class, () -> kernels.sumOfSquaresF32(closed, 0, 16));
        }
    }
}
