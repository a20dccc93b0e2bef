package dev.wsvd.layer;

/** A fully connected layer {@code y = W x (+ b)} with {@code W} of shape {@code out x in}. */
public record LinearGeometry(int inChannels, int outChannels, boolean hasBias) implements LayerGeometry {
    public LinearGeometry {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("a Linear layer needs at least one input and one output feature, got "
                    + inChannels + " -> " + outChannels);
        }
    }

    @Override
    public String toString() {
        return "Linear(" + inChannels + "->" + outChannels + (hasBias ? ", bias" : "") + ")";
    }
}
