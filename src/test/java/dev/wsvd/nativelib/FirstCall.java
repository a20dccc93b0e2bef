package dev.wsvd.nativelib;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.linalg.Cholesky;
import dev.wsvd.linalg.Gemm;
import dev.wsvd.linalg.GramAccumulator;
import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.Triangular;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Child process of {@link LoadOrderTest}: makes one call as the very first thing a fresh JVM does with wsvd's
 * native code, and prints {@code ok <result>} or {@code failed <root cause>}.
 */
public final class FirstCall {
    /** Not an entry point: a binding called directly, without loading OpenBLAS first. */
    static final String RAW_BINDING = "raw-binding";

    /** Every public entry point that reaches a binding, by name. */
    private static final Map<String, Supplier<Object>> ENTRY_POINTS = Map.ofEntries(
            Map.entry("OpenBlas.threads", OpenBlas::threads),
            Map.entry("OpenBlas.setThreads", () -> {
                OpenBlas.setThreads(1);
                return OpenBlas.threads();
            }),
            Map.entry("OpenBlas.singleThreaded", () -> {
                OpenBlas.SingleThreaded section = OpenBlas.singleThreaded();
                section.close();
                return section;
            }),
            Map.entry("OpenBlas.config", OpenBlas::config),
            Map.entry("OpenBlas.coreName", OpenBlas::coreName),
            Map.entry("Svd.thin", () -> {
                try (Tensor m = Tensor.ofDoubles(Shape.of(2, 2), 3, 0, 0, 4); var svd = Svd.thin(m)) {
                    return svd.singularValues()[0];
                }
            }),
            Map.entry("Gemm.multiply", () -> {
                try (Tensor a = Tensor.ofDoubles(Shape.of(1, 2), 1, 2); Tensor b = Tensor.ofDoubles(Shape.of(2, 1), 3, 4);
                     Tensor c = Gemm.multiply(a, b)) {
                    return c.getDouble(0);
                }
            }),
            Map.entry("GramAccumulator.add", () -> {
                try (var accumulator = new GramAccumulator(2); Tensor rows = Tensor.ofDoubles(Shape.of(1, 2), 1, 2)) {
                    accumulator.add(rows);
                    return accumulator.rows();
                }
            }),
            Map.entry("Cholesky.factor", () -> {
                try (Tensor g = Tensor.ofDoubles(Shape.of(2, 2), 4, 2, 2, 3); var cholesky = Cholesky.factor(g)) {
                    return cholesky.lower().getDouble(0);
                }
            }),
            Map.entry("Triangular.timesLower", () -> {
                try (Tensor x = Tensor.ofDoubles(Shape.of(1, 1), 3); Tensor l = Tensor.ofDoubles(Shape.of(1, 1), 2);
                     Tensor product = Triangular.timesLower(x, l)) {
                    return product.getDouble(0);
                }
            }),
            Map.entry("Triangular.timesLowerInverse", () -> {
                try (Tensor x = Tensor.ofDoubles(Shape.of(1, 1), 3); Tensor l = Tensor.ofDoubles(Shape.of(1, 1), 2);
                     Tensor solved = Triangular.timesLowerInverse(x, l)) {
                    return solved.getDouble(0);
                }
            }));

    private FirstCall() {
    }

    static Set<String> entryPoints() {
        return ENTRY_POINTS.keySet();
    }

    public static void main(String[] args) {
        try {
            Supplier<Object> call = args[0].equals(RAW_BINDING) ? cblas_h::openblas_get_num_threads : ENTRY_POINTS.get(args[0]);
            System.out.println("ok " + call.get());
        } catch (Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("failed " + root);
        }
    }
}
