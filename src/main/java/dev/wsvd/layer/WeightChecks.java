package dev.wsvd.layer;

import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Arrays;

/**
 * Where a weight and its bias enter the split: their shapes against the geometry, a compute type, finite
 * values. The one finiteness check of the split: a weight passes it once, here, and what is formed from it
 * afterwards stays finite.
 */
final class WeightChecks {
    private WeightChecks() {
    }

    /**
     * Checks the weight and returns it in a compute type: the weight itself when f32/f64, else a widened f32
     * copy the caller must close.
     */
    static Tensor checkedComputeWeight(LayerGeometry geometry, Tensor weight) {
        Shape expected = geometry.weightShape();
        if (!weight.shape().equals(expected)) {
            throw new IllegalArgumentException("weight of shape " + weight.shape() + " does not match " + geometry
                    + ": expected " + expected);
        }
        Tensor computeWeight = weight.dtype().isComputeType() ? weight : weight.to(DType.F32);
        try {
            requireFinite(computeWeight);
            return computeWeight;
        } catch (IllegalArgumentException e) {
            if (computeWeight != weight) {
                computeWeight.close();
            }
            throw e;
        }
    }

    /** Checks a bias against the geometry: present exactly when the layer has one, one finite value per output. */
    static void checkBias(LayerGeometry geometry, Tensor bias) {
        if (geometry.hasBias() != (bias != null)) {
            throw new IllegalArgumentException(geometry + (geometry.hasBias() ? " has a bias but none was given"
                    : " has no bias but one was given"));
        }
        if (bias != null) {
            if (bias.shape().rank() != 1 || bias.shape().dim(0) != geometry.outChannels()) {
                throw new IllegalArgumentException("bias of shape " + bias.shape() + " does not match " + geometry
                        + ": expected " + geometry.outChannels());
            }
            requireFinite(bias);
        }
    }

    /** Fails on the first NaN or infinite element, naming its index. */
    private static void requireFinite(Tensor tensor) {
        long index = Kernels.firstNonFinite(tensor);
        if (index >= 0) {
            throw new IllegalArgumentException("element " + Arrays.toString(multiIndex(tensor.shape(), index)) + " of the "
                    + tensor.shape() + " tensor is " + tensor.getDouble(index) + "; weights must be finite");
        }
    }

    private static long[] multiIndex(Shape shape, long flat) {
        long[] index = new long[shape.rank()];
        long rest = flat;
        for (int axis = shape.rank() - 1; axis >= 0; axis--) {
            index[axis] = rest % shape.dim(axis);
            rest /= shape.dim(axis);
        }
        return index;
    }
}
