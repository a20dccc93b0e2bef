package dev.wsvd.layer;

import dev.wsvd.tensor.Tensor;

/**
 * The two thinner layers that replace one layer, in the reference (PyTorch) weight layout. The first layer
 * runs first ({@code <layer>.0}), the second consumes its output ({@code <layer>.1}).
 * <ul>
 *   <li>Linear {@code out x in} at rank r: {@code first} is {@code r x in}, {@code second} is {@code out x r},
 *       so {@code second · first = W_r}.</li>
 *   <li>Conv {@code Cout x Cin x k...} with groups g at rank r (r a multiple of g): {@code first} is a 1x1
 *       convolution {@code r x Cin/g x 1...} (stride 1, no padding, groups g); {@code second} is
 *       {@code Cout x r/g x k...} with the original stride, padding, dilation and groups.</li>
 * </ul>
 * Biases are null when absent: as in the reference, {@code firstBias} is zeros when the original layer had a
 * bias and {@code secondBias} is the original bias. The pair owns its tensors and closes them.
 */
public record FactorPair(int rank, Tensor first, Tensor firstBias, Tensor second, Tensor secondBias) implements AutoCloseable {
    public FactorPair {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be at least 1, got " + rank);
        }
        java.util.Objects.requireNonNull(first, "first");
        java.util.Objects.requireNonNull(second, "second");
    }

    @Override
    public void close() {
        first.close();
        second.close();
        if (firstBias != null) {
            firstBias.close();
        }
        if (secondBias != null) {
            secondBias.close();
        }
    }
}
