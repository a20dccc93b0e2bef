package dev.wsvd.bench;

import dev.wsvd.simd.MatrixBlock;
import dev.wsvd.simd.VectorKernels;
import dev.wsvd.simd.Vectorization;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SIMD kernels against the scalar kernels and against a plain loop written here, on off-heap memory.
 *
 * <p>Each benchmark processes {@code size} elements per operation; results are operations per second. To get
 * GB/s multiply by the bytes each operation moves (reads plus writes) and divide by 1e9:
 * <pre>
 *   sumOfSquaresF32      4 * size      sumOfSquaresF64      8 * size
 *   squaredDistanceF32   8 * size      squaredDistanceF64  16 * size
 *   scaleRowsF32         8 * size      scaleColumnsF32      8 * size   (read + write; the scales stay in cache)
 *   scaleRowsF64        16 * size      scaleColumnsF64     16 * size
 * </pre>
 * Sizes: 4096 elements stay in L1/L2, 65536 in L2, 1048576 (4 MiB of f32) spills to L3 on most CPUs. Scaling
 * benchmarks treat the elements as a {@code (size / 256) x 256} matrix: 256 columns is a typical kept rank.
 *
 * <p>{@code implementation}: {@code panama} and {@code scalar} are wsvd's two kernel sets; {@code loop} is the
 * loop a user would write, over the same segments with the same double accumulation (so the three compute the
 * same thing; a float accumulator would be faster and less accurate). Each parameter set runs in its own fork,
 * so every call site sees one implementation. Target: panama at least 4x loop at 1M floats.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class KernelBenchmark {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final int COLUMNS = 256;

    @Param({"4096", "65536", "1048576"})
    public int size;

    @Param({"panama", "scalar", "loop"})
    public String implementation;

    private Arena arena;
    private VectorKernels kernels; // null for "loop"
    private MemorySegment a32;
    private MemorySegment b32;
    private MemorySegment out32;
    private MemorySegment scales32;
    private MemorySegment a64;
    private MemorySegment b64;
    private MemorySegment out64;
    private MemorySegment scales64;
    private int rows;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = switch (implementation) {
            case "panama" -> Vectorization.panama().orElseThrow(() -> new IllegalStateException(
                    "Vector API unavailable: " + Vectorization.panamaUnavailableReason().orElse("?")));
            case "scalar" -> Vectorization.scalar();
            case "loop" -> null;
            default -> throw new IllegalArgumentException("implementation " + implementation);
        };
        if (size % COLUMNS != 0) {
            throw new IllegalArgumentException("size must be a multiple of " + COLUMNS);
        }
        rows = size / COLUMNS;
        arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(1);
        a32 = floats(size, random);
        b32 = floats(size, random);
        out32 = arena.allocate((long) size * Float.BYTES, 64);
        scales32 = floats(Math.max(rows, COLUMNS), random);
        a64 = doubles(size, random);
        b64 = doubles(size, random);
        out64 = arena.allocate((long) size * Double.BYTES, 64);
        scales64 = doubles(Math.max(rows, COLUMNS), random);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private MemorySegment floats(int count, SplittableRandom random) {
        MemorySegment segment = arena.allocate((long) count * Float.BYTES, 64);
        for (int i = 0; i < count; i++) {
            segment.setAtIndex(FLOAT, i, (float) random.nextDouble(-1, 1));
        }
        return segment;
    }

    private MemorySegment doubles(int count, SplittableRandom random) {
        MemorySegment segment = arena.allocate((long) count * Double.BYTES, 64);
        for (int i = 0; i < count; i++) {
            segment.setAtIndex(DOUBLE, i, random.nextDouble(-1, 1));
        }
        return segment;
    }

    // ---- benchmarks -----------------------------------------------------------------------------------------

    @Benchmark
    public double sumOfSquaresF32() {
        return kernels == null ? loopSumOfSquaresF32(a32, size) : kernels.sumOfSquaresF32(a32, 0, size);
    }

    @Benchmark
    public double sumOfSquaresF64() {
        return kernels == null ? loopSumOfSquaresF64(a64, size) : kernels.sumOfSquaresF64(a64, 0, size);
    }

    @Benchmark
    public double squaredDistanceF32() {
        return kernels == null ? loopSquaredDistanceF32(a32, b32, size) : kernels.squaredDistanceF32(a32, 0, b32, 0, size);
    }

    @Benchmark
    public double squaredDistanceF64() {
        return kernels == null ? loopSquaredDistanceF64(a64, b64, size) : kernels.squaredDistanceF64(a64, 0, b64, 0, size);
    }

    @Benchmark
    public void scaleRowsF32() {
        if (kernels == null) {
            loopScaleRowsF32(a32, scales32, out32, rows, COLUMNS);
        } else {
            kernels.scaleRowsF32(MatrixBlock.contiguous(a32, 0, rows, COLUMNS), scales32, 0, MatrixBlock.contiguous(out32, 0, rows, COLUMNS));
        }
    }

    @Benchmark
    public void scaleColumnsF32() {
        if (kernels == null) {
            loopScaleColumnsF32(a32, scales32, out32, rows, COLUMNS);
        } else {
            kernels.scaleColumnsF32(MatrixBlock.contiguous(a32, 0, rows, COLUMNS), scales32, 0, MatrixBlock.contiguous(out32, 0, rows, COLUMNS));
        }
    }

    @Benchmark
    public void scaleRowsF64() {
        if (kernels == null) {
            loopScaleRowsF64(a64, scales64, out64, rows, COLUMNS);
        } else {
            kernels.scaleRowsF64(MatrixBlock.contiguous(a64, 0, rows, COLUMNS), scales64, 0, MatrixBlock.contiguous(out64, 0, rows, COLUMNS));
        }
    }

    @Benchmark
    public void scaleColumnsF64() {
        if (kernels == null) {
            loopScaleColumnsF64(a64, scales64, out64, rows, COLUMNS);
        } else {
            kernels.scaleColumnsF64(MatrixBlock.contiguous(a64, 0, rows, COLUMNS), scales64, 0, MatrixBlock.contiguous(out64, 0, rows, COLUMNS));
        }
    }

    // ---- the plain loops ------------------------------------------------------------------------------------

    private static double loopSumOfSquaresF32(MemorySegment x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x.getAtIndex(FLOAT, i);
            sum += v * v;
        }
        return sum;
    }

    private static double loopSumOfSquaresF64(MemorySegment x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x.getAtIndex(DOUBLE, i);
            sum += v * v;
        }
        return sum;
    }

    private static double loopSquaredDistanceF32(MemorySegment a, MemorySegment b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) a.getAtIndex(FLOAT, i) - b.getAtIndex(FLOAT, i);
            sum += d * d;
        }
        return sum;
    }

    private static double loopSquaredDistanceF64(MemorySegment a, MemorySegment b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = a.getAtIndex(DOUBLE, i) - b.getAtIndex(DOUBLE, i);
            sum += d * d;
        }
        return sum;
    }

    private static void loopScaleRowsF32(MemorySegment in, MemorySegment scales, MemorySegment out, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            float s = scales.getAtIndex(FLOAT, i);
            for (int j = 0; j < columns; j++) {
                long k = (long) i * columns + j;
                out.setAtIndex(FLOAT, k, in.getAtIndex(FLOAT, k) * s);
            }
        }
    }

    private static void loopScaleColumnsF32(MemorySegment in, MemorySegment scales, MemorySegment out, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                long k = (long) i * columns + j;
                out.setAtIndex(FLOAT, k, in.getAtIndex(FLOAT, k) * scales.getAtIndex(FLOAT, j));
            }
        }
    }

    private static void loopScaleRowsF64(MemorySegment in, MemorySegment scales, MemorySegment out, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            double s = scales.getAtIndex(DOUBLE, i);
            for (int j = 0; j < columns; j++) {
                long k = (long) i * columns + j;
                out.setAtIndex(DOUBLE, k, in.getAtIndex(DOUBLE, k) * s);
            }
        }
    }

    private static void loopScaleColumnsF64(MemorySegment in, MemorySegment scales, MemorySegment out, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                long k = (long) i * columns + j;
                out.setAtIndex(DOUBLE, k, in.getAtIndex(DOUBLE, k) * scales.getAtIndex(DOUBLE, j));
            }
        }
    }
}
