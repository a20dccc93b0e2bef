package dev.wsvd.linalg;

import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Npy;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Child process of {@link TruncatedMappedInputTest}: maps a tall .npy weight, truncates the file behind the mapping
 * (what another process rewriting it does), then hands the mapping to each native entry point. Prints one line per
 * operation; a SIGBUS would kill the process before the last line.
 */
public final class TruncatedWhileMapped {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        try (Tensor weight = Tensor.allocate(DType.F32, Shape.of(4000, 300))) {
            for (long i = 0; i < weight.shape().size(); i++) {
                weight.setDouble(i, (i % 17) - 8);
            }
            Npy.write(weight, file);
        }
        try (Tensor mapped = Npy.read(file); Tensor b = Tensor.allocate(DType.F32, Shape.of(300, 2))) {
            System.out.println("mapped " + mapped.segment().isMapped());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(128);
            }
            attempt("gemm", mapped, m -> Gemm.multiply(m, b).close());
            attempt("svd", mapped, m -> Svd.thin(m, java.util.List.of(LapackSvd.GESDD), SvdLayout.EXPLICIT_TRANSPOSE).close());
            attempt("sum of squares", mapped, Kernels::sumOfSquares);
        }
        System.out.println("survived");
    }

    private static void attempt(String what, Tensor mapped, Consumer<Tensor> operation) {
        try {
            operation.accept(mapped);
            System.out.println(what + ": no fault");
        } catch (InternalError | RuntimeException e) {
            System.out.println(what + ": " + e.getClass().getSimpleName());
        }
    }
}
