package dev.wsvd.layer;

import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * How a layer's weight maps to the matrices the SVD sees (one per group), checked against the geometry.
 * <ul>
 *   <li>Linear {@code W (out x in)}: the matrix is {@code W} itself; its SVD {@code U S Vᵀ} gives
 *       {@code A = Vᵀ_r} and {@code B = U_r S_r}. (The reference decomposes {@code Wᵀ} and transposes back:
 *       the same factors up to the signs of singular-vector pairs, without the copy.)</li>
 *   <li>Conv {@code W (Cout x Cin/g x k...)}, group {@code j}: output channels {@code j·n .. (j+1)·n - 1}
 *       ({@code n = Cout/g}) with axes 0 and 1 swapped, flattened to {@code (Cin/g) x (n·k)}, exactly the
 *       reference's reshape (a copy).</li>
 * </ul>
 */
final class WeightLayout {
    private final LayerGeometry geometry;
    private final int groups;
    private final int outPerGroup;

    private WeightLayout(LayerGeometry geometry) {
        this.geometry = geometry;
        this.groups = geometry instanceof ConvGeometry conv ? conv.groups() : 1;
        this.outPerGroup = geometry.outChannels() / groups;
    }

    static WeightLayout of(LayerGeometry geometry) {
        return new WeightLayout(geometry);
    }

    int groups() {
        return groups;
    }

    boolean isConv() {
        return geometry instanceof ConvGeometry;
    }

    /** The weight shape the geometry implies: Linear {@code out x in}, Conv {@code Cout x Cin/g x k...}. */
    Shape expectedWeightShape() {
        return switch (geometry) {
            case LinearGeometry linear -> Shape.of(linear.outChannels(), linear.inChannels());
            case ConvGeometry conv -> {
                int[] kernel = conv.kernel();
                long[] dims = new long[2 + kernel.length];
                dims[0] = conv.outChannels();
                dims[1] = conv.inChannels() / conv.groups();
                for (int i = 0; i < kernel.length; i++) {
                    dims[2 + i] = kernel[i];
                }
                yield Shape.of(dims);
            }
        };
    }

    /** Shape of the first factor at {@code rank}: Linear {@code r x in}, Conv {@code r x Cin/g x 1...}. */
    Shape firstFactorShape(int rank) {
        Shape weight = expectedWeightShape();
        long[] dims = new long[weight.rank()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = rank;
        dims[1] = weight.dim(1);
        return Shape.of(dims);
    }

    /** Shape of the second factor at {@code rank}: Linear {@code out x r}, Conv {@code Cout x r/g x k...}. */
    Shape secondFactorShape(int rank) {
        long[] dims = expectedWeightShape().toArray();
        dims[1] = rank / groups;
        return Shape.of(dims);
    }

    /** Fails unless the pair's weights and biases have the shapes this layer's split gives at the pair's rank. */
    void checkPair(FactorPair pair) {
        int rank = pair.rank();
        if (rank % groups != 0) {
            throw new IllegalArgumentException("a pair of rank " + rank + " cannot replace " + geometry
                    + ": the rank must be a multiple of the " + groups + " groups");
        }
        Shape first = firstFactorShape(rank);
        Shape second = secondFactorShape(rank);
        if (!pair.first().shape().equals(first) || !pair.second().shape().equals(second)) {
            throw new IllegalArgumentException("factors " + pair.first().shape() + " and " + pair.second().shape()
                    + " do not fit " + geometry + " at rank " + rank + ": expected " + first + " and " + second);
        }
        if (pair.first().dtype() != pair.second().dtype()) {
            throw new IllegalArgumentException("factors differ in type: " + pair.first().dtype() + " and " + pair.second().dtype());
        }
    }

    /** Product of the kernel's axes (1 for Linear). */
    int kernelSize() {
        return geometry instanceof ConvGeometry conv ? Arrays.stream(conv.kernel()).reduce(1, Math::multiplyExact) : 1;
    }

    /**
     * Checks the weight (shape, compute type, finite values) and returns it in a compute type: the weight
     * itself when f32/f64, else a widened f32 copy the caller must close.
     */
    Tensor checkedComputeWeight(Tensor weight) {
        Shape expected = expectedWeightShape();
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

    /** Checks a bias against the geometry: present exactly when the layer has one, one value per output. */
    void checkBias(Tensor bias) {
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

    /**
     * The matrix of group {@code group} (rows x columns as described in the class comment). For Linear this
     * is a view of the weight; for Conv a new tensor the caller closes.
     */
    Tensor groupMatrix(Tensor weight, int group) {
        if (!isConv()) {
            return weight.reshape(weight.shape());
        }
        long m = weight.shape().dim(1);
        long k = kernelSize();
        long blockBytes = k * weight.dtype().byteSize();
        Tensor matrix = Tensor.allocate(weight.dtype(), Shape.of(m, outPerGroup * k));
        MemorySegment source = weight.segment();
        MemorySegment target = matrix.segment();
        // matrix[c, o·k + t] = W[group·n + o, c, t]: k contiguous elements per (o, c)
        for (long o = 0; o < outPerGroup; o++) {
            long sourceRow = (long) group * outPerGroup + o;
            for (long c = 0; c < m; c++) {
                MemorySegment.copy(source, (sourceRow * m + c) * blockBytes, target, (c * outPerGroup + o) * blockBytes, blockBytes);
            }
        }
        return matrix;
    }

    /**
     * Fails on the first NaN or infinite element, naming its index. The one finiteness check of the split: a
     * weight passes it once, where it enters; what is formed from it afterwards stays finite.
     */
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
