package dev.wsvd.layer;

import java.util.Arrays;

/**
 * A 1-D or 2-D convolution. Arrays hold one entry per spatial axis (1 for Conv1d, 2 for Conv2d, height
 * first); {@code padding} holds the begin pads then the end pads (ONNX's {@code pads} order), so it is
 * twice as long. {@code outputSpatial} is the output size per spatial axis, or empty when not known yet
 * (the MAC cost needs it; memory does not).
 */
public record ConvGeometry(int inChannels, int outChannels, int groups, int[] kernel, int[] stride, int[] padding,
                           int[] dilation, long[] outputSpatial, boolean hasBias) implements LayerGeometry {
    public ConvGeometry {
        int axes = kernel.length;
        if (axes < 1 || axes > 2) {
            throw new IllegalArgumentException("only 1-D and 2-D convolutions are supported, got a kernel of " + axes + " axes");
        }
        if (stride.length != axes || dilation.length != axes || padding.length != 2 * axes
                || (outputSpatial.length != 0 && outputSpatial.length != axes)) {
            throw new IllegalArgumentException("kernel, stride, dilation, padding and output sizes disagree on the number of spatial axes: kernel "
                    + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding)
                    + ", dilation " + Arrays.toString(dilation) + ", output " + Arrays.toString(outputSpatial));
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide both " + inChannels + " input and "
                    + outChannels + " output channels");
        }
        kernel = kernel.clone();
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
        outputSpatial = outputSpatial.clone();
    }

    /** Number of spatial axes: 1 for Conv1d, 2 for Conv2d. */
    public int spatialAxes() {
        return kernel.length;
    }

    /** Whether every input channel has its own filter group (groups = Cin): never split, see the layer docs. */
    public boolean isDepthwise() {
        return groups > 1 && groups == inChannels;
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public long[] outputSpatial() {
        return outputSpatial.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConvGeometry that && inChannels == that.inChannels && outChannels == that.outChannels
                && groups == that.groups && hasBias == that.hasBias && Arrays.equals(kernel, that.kernel)
                && Arrays.equals(stride, that.stride) && Arrays.equals(padding, that.padding)
                && Arrays.equals(dilation, that.dilation) && Arrays.equals(outputSpatial, that.outputSpatial);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {inChannels, outChannels, groups, hasBias, kernel, stride, padding, dilation, outputSpatial});
    }

    @Override
    public String toString() {
        return "Conv" + kernel.length + "d(" + inChannels + "->" + outChannels + ", kernel " + Arrays.toString(kernel)
                + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation "
                + Arrays.toString(dilation) + ", groups " + groups + ", output " + Arrays.toString(outputSpatial)
                + (hasBias ? ", bias" : "") + ")";
    }
}
