package dev.wsvd.bench;

import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
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

import java.util.concurrent.TimeUnit;

/**
 * Thin SVD (U, S and Vt, k = min(m, n)) of a Gaussian matrix: wsvd (OpenBLAS gesdd through FFM, all threads)
 * against EJML 0.46.1 (pure Java, single-threaded), in the same run.
 *
 * <p>Iterations are time-boxed at 2 s, and JMH runs at least one operation per iteration, so the large shapes
 * (EJML needs about 21 s for 2048²) cost 5 operations each while the small ones average over hundreds; the
 * whole class runs in about 9 minutes on 2 cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Benchmark)
public class SvdBenchmark {
    @Param({"256x256", "512x512", "1024x1024", "2048x2048", "384x1536", "1536x384", "768x3072"})
    public String shape;

    @Param({"F32", "F64"})
    public DType dtype;

    private Tensor matrix;
    private FMatrixRMaj ejmlF32;
    private DMatrixRMaj ejmlF64;

    @Setup(Level.Trial)
    public void createMatrix() {
        int[] mn = Shapes.parse(shape);
        matrix = Shapes.tensor(mn[0], mn[1], dtype);
        double[] values = Shapes.gaussian(mn[0], mn[1]);
        if (dtype == DType.F32) {
            ejmlF32 = new FMatrixRMaj(mn[0], mn[1]);
            for (int i = 0; i < values.length; i++) {
                ejmlF32.data[i] = (float) values[i];
            }
        } else {
            ejmlF64 = new DMatrixRMaj(mn[0], mn[1], true, values);
        }
        System.out.println("\n# OpenBLAS: " + OpenBlas.config() + ", " + OpenBlas.threads() + " threads");
    }

    @TearDown(Level.Trial)
    public void free() {
        matrix.close();
    }

    @Benchmark
    public double wsvd() {
        try (SvdResult svd = Svd.thin(matrix)) {
            return svd.s().getDouble(0);
        }
    }

    @Benchmark
    public double ejml() {
        // EJML may overwrite its input, so it gets a fresh copy each time, as wsvd copies into its workspace.
        if (dtype == DType.F32) {
            SingularValueDecomposition_F32<FMatrixRMaj> svd =
                    DecompositionFactory_FDRM.svd(ejmlF32.numRows, ejmlF32.numCols, true, true, true);
            if (!svd.decompose(ejmlF32.copy())) {
                throw new IllegalStateException("EJML did not converge");
            }
            return svd.getSingularValues()[0];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(ejmlF64.numRows, ejmlF64.numCols, true, true, true);
        if (!svd.decompose(ejmlF64.copy())) {
            throw new IllegalStateException("EJML did not converge");
        }
        return svd.getSingularValues()[0];
    }
}
