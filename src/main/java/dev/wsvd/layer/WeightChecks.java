package dev.wsvd.layer;

import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Arrays;

/**
 * Where a weight, its bias and the Gram of its inputs enter the split: their shapes against the geometry, a
 * compute type, finite values. The one finiteness check of the split: a weight passes it once, here, and what is
 * formed from it afterwards stays finite.
 */
final class WeightChecks {
    /** How far apart {@code G_ij} and {@code G_ji} may be, relative to {@code sqrt(G_ii·G_jj)}. */
    static final double GRAM_ASYMMETRY = 1e-6;

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
            requireFinite(computeWeight, "tensor", "weights must be finite");
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
            requireFinite(bias, "tensor", "weights must be finite");
        }
    }

    /**
     * Checks the Gram {@code G = Σ x·xᵀ} of a layer's inputs and returns it in F64: the Gram itself when F64, else
     * a widened copy the caller must close. {@code G} is {@code in x in} for Linear, {@code Cin x Cin} for Conv
     * (all groups: the split takes each group's diagonal block); finite; symmetric up to rounding (a mirrored pair
     * may differ by {@value #GRAM_ASYMMETRY} of {@code sqrt(G_ii·G_jj)}, more than rounding leaves, less than a
     * triangle left empty); with a non-negative diagonal.
     */
    static Tensor checkedInputGram(LayerGeometry geometry, Tensor gram) {
        int n = geometry.inChannels();
        if (!gram.shape().equals(Shape.of(n, n))) {
            String inputs = geometry instanceof ConvGeometry conv && conv.groups() > 1
                    ? "input channels, all " + conv.groups() + " groups together (the split takes each group's block)"
                    : geometry instanceof ConvGeometry ? "input channels" : "input features";
            throw new IllegalArgumentException("input Gram of shape " + gram.shape() + " does not match " + geometry
                    + ": expected " + Shape.of(n, n) + ", the Gram of its " + inputs);
        }
        String what = "input Gram of " + geometry;
        requireFinite(gram, what, "a Gram of the layer's inputs must be finite: calibrate without the inputs that"
                + " produced non-finite activations");
        requireGramSymmetry(gram, what);
        return gram.dtype() == DType.F64 ? gram : gram.to(DType.F64);
    }

    private static void requireGramSymmetry(Tensor gram, String what) {
        int n = gram.rows();
        for (int i = 0; i < n; i++) {
            double diagonal = gram.getDouble((long) i * n + i);
            if (diagonal < 0) {
                throw new IllegalArgumentException("element [" + i + ", " + i + "] of the " + gram.shape() + " " + what + " is "
                        + diagonal + ", but a Gram's diagonal holds sums of squares: is this a covariance or another matrix?");
            }
            for (int j = 0; j < i; j++) {
                double lower = gram.getDouble((long) i * n + j);
                double upper = gram.getDouble((long) j * n + i);
                double scale = Math.sqrt(diagonal * gram.getDouble((long) j * n + j));
                if (Math.abs(lower - upper) > GRAM_ASYMMETRY * scale) {
                    throw new IllegalArgumentException("the " + gram.shape() + " " + what + " is not symmetric: element ["
                            + i + ", " + j + "] is " + lower + " but [" + j + ", " + i + "] is " + upper
                            + "; pass both triangles of Σ x·xᵀ (GramAccumulator.gram() does)");
                }
            }
        }
    }

    /**
     * Fails on the first NaN or infinite element, naming its index: "element [i, j] of the 3x4 {@code noun} is NaN;
     * {@code need}".
     */
    private static void requireFinite(Tensor tensor, String noun, String need) {
        long index = Kernels.firstNonFinite(tensor);
        if (index >= 0) {
            throw new IllegalArgumentException("element " + Arrays.toString(multiIndex(tensor.shape(), index)) + " of the "
                    + tensor.shape() + " " + noun + " is " + tensor.getDouble(index) + "; " + need);
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
