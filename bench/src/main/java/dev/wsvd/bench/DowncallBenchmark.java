package dev.wsvd.bench;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.nativelib.OpenBlas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * The fixed cost of one FFM downcall, on a function that does nothing but return a global
 * ({@code openblas_get_num_threads}): through the binding as jextract emits it (a plain downcall, with the
 * thread-state transition every call pays), through a handle built with {@code Linker.Option.critical} (what a
 * hand edit of the binding would buy), and through wsvd's idiomatic {@code OpenBlas.threads()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class DowncallBenchmark {

    /** Built on first use, after {@link #load()} has loaded OpenBLAS: the bindings resolve symbols lazily. */
    private static final class Critical {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
                cblas_h.openblas_get_num_threads$address(), FunctionDescriptor.of(cblas_h.C_INT), Linker.Option.critical(false));
    }

    @Setup
    public void load() {
        OpenBlas.load();
    }

    @Benchmark
    public int binding() {
        return cblas_h.openblas_get_num_threads();
    }

    @Benchmark
    public int criticalDowncall() throws Throwable {
        return (int) Critical.HANDLE.invokeExact();
    }

    @Benchmark
    public int openBlasThreads() {
        return OpenBlas.threads();
    }
}
