package dev.wsvd.layer;

import dev.wsvd.linalg.Gemm;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The weight a factor pair computes, multiplied out from the factors as they are stored (not from the SVD),
 * so that it checks the factor layouts as well as the numbers: Linear {@code B·A}; Conv, per group,
 * {@code W_r[o, c, t] = Σ_j B[o, j, t] · A[j, c]}.
 */
public final class Reconstruction {
    private Reconstruction() {
    }

    /**
     * The weight of the layer the pair computes, in the original layout and the pair's type.
     *
     * @throws IllegalArgumentException if the pair's shapes do not fit the geometry
     */
    public static Tensor weight(LayerGeometry geometry, FactorPair pair) {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(pair, "pair");
        int rank = pair.rank();
        WeightLayout layout = WeightLayout.of(geometry);
        layout.checkPair(pair);
        if (geometry instanceof LinearGeometry) {
            return Gemm.multiply(pair.second(), pair.first());
        }
        ConvGeometry conv = (ConvGeometry) geometry;
        int groups = conv.groups();
        int q = rank / groups;
        int m = conv.inChannels() / groups;
        int n = conv.outChannels() / groups;
        long k = pair.second().shape().size() / ((long) conv.outChannels() * q);
        Tensor result = Tensor.allocate(pair.first().dtype(), layout.expectedWeightShape());
        try (Tensor firstMatrix = pair.first().reshape(Shape.of(rank, m))) {
            for (int group = 0; group < groups; group++) {
                try (Tensor a = firstMatrix.slice((long) group * q, (long) (group + 1) * q);   // q x m
                     Tensor b = secondAsRows(pair.second(), group, n, q, k);                  // q x (n·k)
                     Tensor product = Gemm.multiplyTransposeA(a, b)) {                        // m x (n·k)
                    // W_r[group·n + o, c, t] = product[c, o·k + t]
                    long runBytes = k * result.dtype().byteSize();
                    MemorySegment source = product.segment();
                    MemorySegment target = result.segment();
                    for (long o = 0; o < n; o++) {
                        for (long c = 0; c < m; c++) {
                            MemorySegment.copy(source, (c * n + o) * runBytes, target, (((long) group * n + o) * m + c) * runBytes, runBytes);
                        }
                    }
                }
            }
            return result;
        } catch (RuntimeException | Error e) {
            result.close();
            throw e;
        }
    }

    /**
     * {@code ||W - W_pair||_F / ||W||_F}, with {@code W_pair} multiplied out from the factors; the weight is
     * compared in the pair's type (a half-precision weight is widened first).
     */
    public static double relativeError(LayerGeometry geometry, Tensor weight, FactorPair pair) {
        try (Tensor product = weight(geometry, pair)) {
            if (weight.dtype() == product.dtype()) {
                return Kernels.relativeError(weight, product);
            }
            try (Tensor converted = weight.to(product.dtype())) {
                return Kernels.relativeError(converted, product);
            }
        }
    }

    /** Group {@code group} of B ({@code Cout x q x k...}) as the {@code q x (n·k)} matrix {@code [j, o·k + t]}. */
    private static Tensor secondAsRows(Tensor second, int group, int n, int q, long k) {
        Tensor rows = Tensor.allocate(second.dtype(), Shape.of(q, n * k));
        long runBytes = k * second.dtype().byteSize();
        MemorySegment source = second.segment();
        MemorySegment target = rows.segment();
        for (long o = 0; o < n; o++) {
            for (long j = 0; j < q; j++) {
                MemorySegment.copy(source, ((((long) group * n + o) * q) + j) * runBytes, target, (j * n + o) * runBytes, runBytes);
            }
        }
        return rows;
    }
}
