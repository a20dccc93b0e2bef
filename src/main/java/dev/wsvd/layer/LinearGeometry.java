package dev.wsvd.layer;

import dev.wsvd.tensor.Shape;

/**
 * A fully connected layer {@code y = W x (+ b)} with {@code W} of shape {@code out x in}, applied to
 * {@code rowsPerSample} rows of each sample: a MatMul over a {@code batch x sequence x in} input runs once per
 * token, as a convolution runs once per output position. MACs per sample count every row.
 *
 * @param rowsPerSample rows one sample feeds through the layer (the sequence length), at least 1
 */
public record LinearGeometry(int inChannels, int outChannels, boolean hasBias, long rowsPerSample) implements LayerGeometry {
    public LinearGeometry {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("a Linear layer needs at least one input and one output feature, got "
                    + inChannels + " -> " + outChannels);
        }
        if (rowsPerSample < 1) {
            throw new IllegalArgumentException("a Linear layer runs for at least one row per sample, got " + rowsPerSample);
        }
    }

    /** A layer that runs once per sample (one row). */
    public LinearGeometry(int inChannels, int outChannels, boolean hasBias) {
        this(inChannels, outChannels, hasBias, 1);
    }

    @Override
    public Shape weightShape() {
        return Shape.of(outChannels, inChannels);
    }

    @Override
    public String toString() {
        return "Linear(" + inChannels + "->" + outChannels + (hasBias ? ", bias" : "") + ")";
    }
}
