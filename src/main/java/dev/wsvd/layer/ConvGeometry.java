package dev.wsvd.layer;

import dev.wsvd.tensor.Shape;

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
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("a convolution needs at least one input and one output channel, got "
                    + inChannels + " -> " + outChannels);
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide both " + inChannels + " input and "
                    + outChannels + " output channels");
        }
        requireAtLeast("kernel", kernel, 1);
        requireAtLeast("stride", stride, 1);
        requireAtLeast("dilation", dilation, 1);
        requireAtLeast("padding", padding, 0);
        for (long size : outputSpatial) {
            if (size < 1) {
                throw new IllegalArgumentException("output sizes must be positive, got " + Arrays.toString(outputSpatial));
            }
        }
        kernel = kernel.clone();
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
        outputSpatial = outputSpatial.clone();
    }

    /**
     * A builder for a convolution {@code inChannels -> outChannels} with the given kernel (one size per
     * spatial axis): stride 1, no padding, dilation 1, one group, no bias and unknown output size until set.
     */
    public static Builder builder(int inChannels, int outChannels, int... kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /**
     * The output size per spatial axis for an input of {@code inputSpatial}:
     * {@code floor((in + padBegin + padEnd - dilation·(k - 1) - 1) / stride) + 1}.
     *
     * @throws IllegalArgumentException if the axes disagree or the kernel does not fit the padded input
     */
    public long[] outputFor(long... inputSpatial) {
        if (inputSpatial.length != kernel.length) {
            throw new IllegalArgumentException("input size " + Arrays.toString(inputSpatial) + " has "
                    + inputSpatial.length + " axes, the convolution " + kernel.length);
        }
        long[] output = new long[kernel.length];
        for (int axis = 0; axis < kernel.length; axis++) {
            long span = (long) dilation[axis] * (kernel[axis] - 1) + 1;
            long padded = inputSpatial[axis] + padding[axis] + padding[axis + kernel.length];
            if (inputSpatial[axis] < 1 || padded < span) {
                throw new IllegalArgumentException("input size " + Arrays.toString(inputSpatial) + " is too small for "
                        + this + " on axis " + axis + ": padded size " + padded + ", kernel span " + span);
            }
            output[axis] = (padded - span) / stride[axis] + 1;
        }
        return output;
    }

    /** This convolution with its output size set to {@code outputSpatial}. */
    public ConvGeometry withOutputSpatial(long... outputSpatial) {
        return new ConvGeometry(inChannels, outChannels, groups, kernel, stride, padding, dilation, outputSpatial, hasBias);
    }

    @Override
    public Shape weightShape() {
        long[] dims = new long[2 + kernel.length];
        dims[0] = outChannels;
        dims[1] = inChannels / groups;
        for (int axis = 0; axis < kernel.length; axis++) {
            dims[2 + axis] = kernel[axis];
        }
        return Shape.of(dims);
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
                + Arrays.toString(dilation) + ", groups " + groups
                + (outputSpatial.length == 0 ? "" : ", output " + Arrays.toString(outputSpatial))
                + (hasBias ? ", bias" : "") + ")";
    }

    private static void requireAtLeast(String name, int[] values, int minimum) {
        for (int value : values) {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " values must be at least " + minimum + ", got " + Arrays.toString(values));
            }
        }
    }

    /** Builds a {@link ConvGeometry}; unset attributes take the defaults of {@link #builder}. */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private final int[] kernel;
        private int[] stride;
        private int[] padding;
        private int[] dilation;
        private int groups = 1;
        private long[] outputSpatial = new long[0];
        private long[] inputSpatial;
        private boolean hasBias;

        private Builder(int inChannels, int outChannels, int[] kernel) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernel = kernel.clone();
            this.stride = filled(kernel.length, 1);
            this.padding = filled(2 * kernel.length, 0);
            this.dilation = filled(kernel.length, 1);
        }

        /** Stride per spatial axis. */
        public Builder stride(int... stride) {
            this.stride = stride.clone();
            return this;
        }

        /** Padding: one value per axis (same at both ends), or the begin pads then the end pads (ONNX order). */
        public Builder padding(int... padding) {
            if (padding.length == kernel.length) {
                int[] both = new int[2 * padding.length];
                System.arraycopy(padding, 0, both, 0, padding.length);
                System.arraycopy(padding, 0, both, padding.length, padding.length);
                this.padding = both;
            } else {
                this.padding = padding.clone();
            }
            return this;
        }

        /** Dilation per spatial axis. */
        public Builder dilation(int... dilation) {
            this.dilation = dilation.clone();
            return this;
        }

        /** Number of groups (1 = an ordinary convolution). */
        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Whether the layer adds a bias. */
        public Builder bias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        /** The output size per spatial axis (needed for MACs). */
        public Builder outputSpatial(long... outputSpatial) {
            this.outputSpatial = outputSpatial.clone();
            this.inputSpatial = null;
            return this;
        }

        /** The input size per spatial axis; the output size is derived from it with {@link #outputFor}. */
        public Builder inputSpatial(long... inputSpatial) {
            this.inputSpatial = inputSpatial.clone();
            return this;
        }

        public ConvGeometry build() {
            ConvGeometry geometry = new ConvGeometry(inChannels, outChannels, groups, kernel, stride, padding, dilation,
                    outputSpatial, hasBias);
            return inputSpatial == null ? geometry : geometry.withOutputSpatial(geometry.outputFor(inputSpatial));
        }

        private static int[] filled(int length, int value) {
            int[] values = new int[length];
            Arrays.fill(values, value);
            return values;
        }
    }
}
