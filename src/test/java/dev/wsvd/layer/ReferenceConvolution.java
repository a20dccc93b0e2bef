package dev.wsvd.layer;

/**
 * A direct, brute-force convolution for tests: nested loops over NCHW (or NCL) data in double precision,
 * with groups, stride, begin/end padding (zeros) and dilation. Written from the definition
 * {@code y[b, o, p] = bias[o] + Σ_{c in group(o)} Σ_{t} w[o, c, t] · x[b, g(o)·Cin/g + c, p·stride + t·dilation - padBegin]},
 * independent of anything in the main code. A 1-D convolution is the 2-D one with a height of 1.
 */
final class ReferenceConvolution {
    final int groups;
    final int[] stride;
    final int[] padBegin;
    final int[] padEnd;
    final int[] dilation;

    /** Attributes per spatial axis (1 or 2 axes); padding as begin pads then end pads. */
    ReferenceConvolution(int groups, int[] stride, int[] padding, int[] dilation) {
        int axes = stride.length;
        this.groups = groups;
        this.stride = stride.clone();
        this.padBegin = java.util.Arrays.copyOfRange(padding, 0, axes);
        this.padEnd = java.util.Arrays.copyOfRange(padding, axes, 2 * axes);
        this.dilation = dilation.clone();
    }

    static ReferenceConvolution of(ConvGeometry geometry) {
        return new ReferenceConvolution(geometry.groups(), geometry.stride(), geometry.padding(), geometry.dilation());
    }

    /** A stride-1, unpadded, undilated convolution with {@code groups} groups (the first factor's attributes). */
    static ReferenceConvolution pointwise(int axes, int groups) {
        int[] ones = new int[axes];
        java.util.Arrays.fill(ones, 1);
        return new ReferenceConvolution(groups, ones, new int[2 * axes], ones);
    }

    /**
     * Applies the convolution.
     *
     * @param x      input, shape {@code batch x Cin x spatial...}
     * @param xShape its shape
     * @param w      weight, shape {@code Cout x Cin/groups x kernel...}
     * @param wShape its shape
     * @param bias   per output channel, or null
     * @return the output; its shape is {@link #outputShape}
     */
    double[] apply(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias) {
        int[] x4 = as4d(xShape);
        int[] w4 = as4d(wShape);
        int[] s = as2(stride, 1);
        int[] pb = as2(padBegin, 0);
        int[] pe = as2(padEnd, 0);
        int[] d = as2(dilation, 1);
        int batch = x4[0];
        int cin = x4[1];
        int h = x4[2];
        int wid = x4[3];
        int cout = w4[0];
        int cinPerGroup = w4[1];
        int kh = w4[2];
        int kw = w4[3];
        if (cinPerGroup * groups != cin || cout % groups != 0) {
            throw new IllegalArgumentException("weight " + java.util.Arrays.toString(wShape) + " does not fit input "
                    + java.util.Arrays.toString(xShape) + " with " + groups + " groups");
        }
        int oh = (h + pb[0] + pe[0] - d[0] * (kh - 1) - 1) / s[0] + 1;
        int ow = (wid + pb[1] + pe[1] - d[1] * (kw - 1) - 1) / s[1] + 1;
        int coutPerGroup = cout / groups;
        double[] y = new double[batch * cout * oh * ow];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < cout; o++) {
                int group = o / coutPerGroup;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = bias == null ? 0 : bias[o];
                        for (int c = 0; c < cinPerGroup; c++) {
                            int channel = group * cinPerGroup + c;
                            for (int u = 0; u < kh; u++) {
                                int row = i * s[0] + u * d[0] - pb[0];
                                if (row < 0 || row >= h) {
                                    continue;
                                }
                                for (int v = 0; v < kw; v++) {
                                    int col = j * s[1] + v * d[1] - pb[1];
                                    if (col < 0 || col >= wid) {
                                        continue;
                                    }
                                    sum += w[((o * cinPerGroup + c) * kh + u) * kw + v]
                                            * x[((b * cin + channel) * h + row) * wid + col];
                                }
                            }
                        }
                        y[((b * cout + o) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** The output shape for an input of {@code xShape} and a weight of {@code wShape}, in their rank. */
    int[] outputShape(int[] xShape, int[] wShape) {
        int axes = xShape.length - 2;
        int[] out = new int[xShape.length];
        out[0] = xShape[0];
        out[1] = wShape[0];
        for (int a = 0; a < axes; a++) {
            out[2 + a] = (xShape[2 + a] + padBegin[a] + padEnd[a] - dilation[a] * (wShape[2 + a] - 1) - 1) / stride[a] + 1;
        }
        return out;
    }

    private static int[] as4d(int[] shape) {
        return shape.length == 4 ? shape : new int[] {shape[0], shape[1], 1, shape[2]};
    }

    private static int[] as2(int[] perAxis, int fill) {
        return perAxis.length == 2 ? perAxis : new int[] {fill, perAxis[0]};
    }
}
