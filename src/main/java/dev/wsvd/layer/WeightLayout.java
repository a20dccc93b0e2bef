package dev.wsvd.layer;

import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * How a layer's weight maps to the matrices the SVD sees, one per group, and back: the one place that knows
 * the Conv weight layout. The same map serves the weight {@code W}, the rank-r weight {@code W_r}, and each
 * factor read as the weight of its own layer ({@link PairGeometry}), which is what makes the split a product of
 * group matrices: {@code matrix(W_r) = matrix(A) · matrix(B)} per group.
 * <ul>
 *   <li>Linear {@code W (out x in)}: the matrix is {@code W} itself; its SVD {@code U S Vᵀ} gives
 *       {@code A = Vᵀ_r} and {@code B = U_r S_r}. (The reference decomposes {@code Wᵀ} and transposes back:
 *       the same factors up to the signs of singular-vector pairs, without the copy.)</li>
 *   <li>Conv {@code W (Cout x Cin/g x k...)}, group {@code j}: output channels {@code j·n .. (j+1)·n - 1}
 *       ({@code n = Cout/g}), a contiguous {@code n x m x k} block ({@code m = Cin/g}); its matrix is the block
 *       with axes 0 and 1 swapped, flattened to {@code m x (n·k)}: exactly the reference's reshape. For the
 *       first factor ({@code r x m x 1...}) that matrix is {@code m x r/g}, for the second
 *       ({@code Cout x r/g x k...}) it is {@code r/g x (n·k)}.</li>
 * </ul>
 * The inputs a group reads have their Gram matrix in the same terms ({@link #groupGram}): Linear the whole
 * {@code in x in} Gram; Conv group {@code j} the block of its input channels {@code j·m .. (j+1)·m - 1} of the
 * {@code Cin x Cin} Gram, the rows of its matrix being those channels.
 */
final class WeightLayout {
    private final boolean conv;
    private final int groups;
    private final long outPerGroup; // n
    private final long inPerGroup;  // m
    private final long kernelSize;  // k

    private WeightLayout(LayerGeometry geometry) {
        Shape weight = geometry.weightShape();
        this.conv = geometry instanceof ConvGeometry;
        this.groups = geometry instanceof ConvGeometry c ? c.groups() : 1;
        this.outPerGroup = weight.dim(0) / groups;
        this.inPerGroup = weight.dim(1);
        this.kernelSize = weight.size() / (weight.dim(0) * weight.dim(1));
    }

    static WeightLayout of(LayerGeometry geometry) {
        return new WeightLayout(geometry);
    }

    int groups() {
        return groups;
    }

    boolean isConv() {
        return conv;
    }

    /**
     * The matrix of group {@code group} (as described in the class comment). For Linear this is a view of the
     * weight; for Conv a new tensor the caller closes.
     */
    Tensor groupMatrix(Tensor weight, int group) {
        if (!conv) {
            return weight.reshape(weight.shape());
        }
        Tensor matrix = Tensor.allocate(weight.dtype(), Shape.of(inPerGroup, outPerGroup * kernelSize));
        transposeRuns(weight.segment(), blockOffset(weight, group), matrix.segment(), 0, outPerGroup, inPerGroup,
                runBytes(weight));
        return matrix;
    }

    /**
     * The Gram matrix of the inputs group {@code group} reads, from the layer's whole input Gram ({@code in x in}
     * or {@code Cin x Cin}): for Linear a view of it, for Conv a new {@code m x m} tensor the caller closes.
     */
    Tensor groupGram(Tensor inputGram, int group) {
        if (!conv) {
            return inputGram.reshape(inputGram.shape());
        }
        Tensor block = Tensor.allocate(inputGram.dtype(), Shape.of(inPerGroup, inPerGroup));
        long elementBytes = inputGram.dtype().byteSize();
        long channels = groups * inPerGroup;
        long first = group * inPerGroup;
        for (long row = 0; row < inPerGroup; row++) {
            MemorySegment.copy(inputGram.segment(), ((first + row) * channels + first) * elementBytes, block.segment(),
                    row * inPerGroup * elementBytes, inPerGroup * elementBytes);
        }
        return block;
    }

    /** Writes group {@code group}'s matrix into the weight: the inverse of {@link #groupMatrix}. */
    void setGroupMatrix(Tensor weight, int group, Tensor matrix) {
        if (!conv) {
            MemorySegment.copy(matrix.segment(), 0, weight.segment(), 0, weight.segment().byteSize());
            return;
        }
        transposeRuns(matrix.segment(), 0, weight.segment(), blockOffset(weight, group), inPerGroup, outPerGroup,
                runBytes(weight));
    }

    /**
     * Group {@code group}'s block as it is stored, {@code n x (m·k)}: a view. For the first factor of a
     * convolution this is the group's {@code A_j} ({@code r/g x m}), the transpose of its matrix.
     */
    Tensor groupRows(Tensor weight, int group) {
        try (Tensor rows = weight.reshape(Shape.of(groups * outPerGroup, inPerGroup * kernelSize))) {
            return rows.slice(group * outPerGroup, (group + 1) * outPerGroup);
        }
    }

    private long blockOffset(Tensor weight, int group) {
        return group * outPerGroup * inPerGroup * runBytes(weight);
    }

    private long runBytes(Tensor weight) {
        return kernelSize * weight.dtype().byteSize();
    }

    /**
     * The one copy loop of the layout: a row-major {@code rows x columns} grid of runs of {@code runBytes}
     * bytes (a kernel's {@code k} elements stay together) becomes its transpose, {@code to[j][i] = from[i][j]}.
     */
    private static void transposeRuns(MemorySegment from, long fromOffset, MemorySegment to, long toOffset, long rows,
                                      long columns, long runBytes) {
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < columns; j++) {
                MemorySegment.copy(from, fromOffset + (i * columns + j) * runBytes, to, toOffset + (j * rows + i) * runBytes, runBytes);
            }
        }
    }
}
