package dev.wsvd.layer;

import dev.wsvd.linalg.Gemm;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Objects;

/**
 * The weight a factor pair computes, multiplied out from the factors as they are stored (not from the SVD),
 * so that it checks the factor layouts as well as the numbers: Linear {@code B·A}; Conv, per group, the
 * product of the factors' group matrices put back into the weight layout ({@link WeightLayout}).
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
        PairGeometry layers = checkedPair(geometry, pair);
        if (geometry instanceof LinearGeometry) {
            return Gemm.multiply(pair.second(), pair.first());
        }
        WeightLayout layout = WeightLayout.of(geometry);
        WeightLayout firstLayout = WeightLayout.of(layers.first());
        WeightLayout secondLayout = WeightLayout.of(layers.second());
        Tensor result = Tensor.allocate(pair.first().dtype(), geometry.weightShape());
        try {
            for (int group = 0; group < layout.groups(); group++) {
                // matrix(W_r) = matrix(A)·matrix(B), with matrix(A) read as the stored A_j = matrix(A)ᵀ
                try (Tensor a = firstLayout.groupRows(pair.first(), group);                 // r/g x m
                     Tensor b = secondLayout.groupMatrix(pair.second(), group);             // r/g x (n·k)
                     Tensor product = Gemm.multiplyTransposeA(a, b)) {                      // m x (n·k)
                    layout.setGroupMatrix(result, group, product);
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

    /** The pair's two layers, after checking that its weights have their shapes and one type. */
    private static PairGeometry checkedPair(LayerGeometry geometry, FactorPair pair) {
        PairGeometry layers = PairGeometry.of(geometry, pair.rank());
        Shape first = layers.first().weightShape();
        Shape second = layers.second().weightShape();
        if (!pair.first().shape().equals(first) || !pair.second().shape().equals(second)) {
            throw new IllegalArgumentException("factors " + pair.first().shape() + " and " + pair.second().shape()
                    + " do not fit " + geometry + " at rank " + pair.rank() + ": expected " + first + " and " + second);
        }
        if (pair.first().dtype() != pair.second().dtype()) {
            throw new IllegalArgumentException("factors differ in type: " + pair.first().dtype() + " and " + pair.second().dtype());
        }
        return layers;
    }
}
