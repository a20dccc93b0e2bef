package dev.wsvd.layer;

import dev.wsvd.tensor.Shape;

/**
 * What the split and the cost model need to know about a weight layer, independent of the file format it
 * came from. Weights themselves travel separately as tensors in the reference (PyTorch) layout:
 * Linear {@code out x in}, Conv {@code Cout x Cin/groups x k...}.
 */
public sealed interface LayerGeometry permits LinearGeometry, ConvGeometry {

    /** Input features (Linear) or input channels (Conv). */
    int inChannels();

    /** Output features (Linear) or output channels (Conv). */
    int outChannels();

    /** Whether the original layer adds a bias. */
    boolean hasBias();

    /**
     * The shape of this layer's weight in the reference layout: Linear {@code out x in}, Conv
     * {@code Cout x Cin/groups x k...}. A factor pair's weights are those of its two layers ({@link PairGeometry}).
     */
    Shape weightShape();
}
