package dev.wsvd.bench;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.bindings.openblas.lapacke_h;
import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * How to hand a row-major matrix to LAPACK's column-major gesdd (F32), as bare FFM calls through the bindings,
 * beside wsvd's {@code Svd.thin} which picks one of them per shape (dev.wsvd.linalg.SvdLayout):
 * <ul>
 *   <li>{@code lapackeRowMajor}: LAPACKE's row-major entry point, which transposes the input and both outputs;</li>
 *   <li>{@code transposedView}: the column-major call on the matrix as it lies in memory (Aᵀ), U and Vt
 *       swapped: no transposes, LAPACK sees {@code n x m};</li>
 *   <li>{@code explicitTranspose}: transpose into column-major with cblas_somatcopy, LAPACK sees {@code m x n},
 *       transpose U and Vt back.</li>
 * </ul>
 * Each variant copies the input once (gesdd destroys it), as wsvd does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SvdLayoutBenchmark {
    @Param({"512x512", "384x1536", "1536x384", "3072x768"})
    public String shape;

    private int m;
    private int n;
    private int k;
    private Arena arena;
    private Tensor matrix;
    private MemorySegment a;
    private MemorySegment s;
    private MemorySegment u;
    private MemorySegment vt;
    private MemorySegment uColumnMajor;
    private MemorySegment vtColumnMajor;

    @Setup(Level.Trial)
    public void allocate() {
        int[] mn = Shapes.parse(shape);
        m = mn[0];
        n = mn[1];
        k = Math.min(m, n);
        matrix = Shapes.tensor(m, n, DType.F32);
        arena = Arena.ofShared();
        a = arena.allocate(4L * m * n, 64);
        s = arena.allocate(4L * k, 64);
        u = arena.allocate(4L * m * k, 64);
        vt = arena.allocate(4L * k * n, 64);
        uColumnMajor = arena.allocate(4L * m * k, 64);
        vtColumnMajor = arena.allocate(4L * k * n, 64);
        System.out.println("\n# OpenBLAS: " + OpenBlas.config() + ", " + OpenBlas.threads() + " threads");
    }

    @TearDown(Level.Trial)
    public void free() {
        matrix.close();
        arena.close();
    }

    @Benchmark
    public float lapackeRowMajor() {
        MemorySegment.copy(matrix.segment(), 0, a, 0, a.byteSize());
        check(lapacke_h.LAPACKE_sgesdd(lapacke_h.LAPACK_ROW_MAJOR(), (byte) 'S', m, n, a, n, s, u, k, vt, n));
        return s.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0);
    }

    @Benchmark
    public float transposedView() {
        MemorySegment.copy(matrix.segment(), 0, a, 0, a.byteSize());
        check(lapacke_h.LAPACKE_sgesdd(lapacke_h.LAPACK_COL_MAJOR(), (byte) 'S', n, m, a, n, s, vt, n, u, k));
        return s.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0);
    }

    @Benchmark
    public float explicitTranspose() {
        int rowMajor = cblas_h.CblasRowMajor();
        int trans = cblas_h.CblasTrans();
        cblas_h.cblas_somatcopy(rowMajor, trans, m, n, 1f, matrix.segment(), n, a, m);
        check(lapacke_h.LAPACKE_sgesdd(lapacke_h.LAPACK_COL_MAJOR(), (byte) 'S', m, n, a, m, s, uColumnMajor, m,
                vtColumnMajor, k));
        cblas_h.cblas_somatcopy(rowMajor, trans, k, m, 1f, uColumnMajor, m, u, k);
        cblas_h.cblas_somatcopy(rowMajor, trans, n, k, 1f, vtColumnMajor, k, vt, n);
        return s.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0);
    }

    @Benchmark
    public double wsvd() {
        try (SvdResult svd = Svd.thin(matrix)) {
            return svd.s().getDouble(0);
        }
    }

    private static void check(int info) {
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_sgesdd returned " + info);
        }
    }
}
