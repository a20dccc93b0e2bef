package dev.wsvd.layer;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Random;

/**
 * A convolution layer for tests whose weight has a known SVD per group: group {@code g}'s reshaped matrix
 * (the reference's {@code Cin/g x (Cout/g·k)} view) is a {@link TestMatrices} with a chosen spectrum. The
 * weight and its rank-r truncation are assembled from those matrices by the inverse of the reshape, written
 * here from its definition: {@code W[g·n + o, c, t] = M_g[c, o·k + t]}.
 */
final class ConvCase {
    final ConvGeometry geometry;
    final TestMatrices[] groupMatrices;
    final double[] bias;
    final int[] weightShape;
    final int[] inputShape;
    private final int n;
    private final int m;
    private final int k;

    ConvCase(ConvGeometry geometry, long[] inputSpatial, Random random) {
        this.geometry = geometry;
        int g = geometry.groups();
        this.m = geometry.inChannels() / g;
        this.n = geometry.outChannels() / g;
        int kernel = 1;
        for (int size : geometry.kernel()) {
            kernel *= size;
        }
        this.k = kernel;
        this.groupMatrices = new TestMatrices[g];
        for (int group = 0; group < g; group++) {
            int p = Math.min(m, n * k);
            groupMatrices[group] = TestMatrices.withSpectrum(m, n * k, TestMatrices.geometricSpectrum(p), random);
        }
        this.bias = geometry.hasBias() ? random.doubles(geometry.outChannels(), -1, 1).toArray() : null;
        int axes = geometry.spatialAxes();
        this.weightShape = new int[2 + axes];
        weightShape[0] = geometry.outChannels();
        weightShape[1] = m;
        this.inputShape = new int[2 + axes];
        inputShape[0] = 2; // a batch of two
        inputShape[1] = geometry.inChannels();
        for (int a = 0; a < axes; a++) {
            weightShape[2 + a] = geometry.kernel()[a];
            inputShape[2 + a] = Math.toIntExact(inputSpatial[a]);
        }
    }

    /** The weight truncated to {@code rank} ({@code rank/g} per group); the full weight for the maximum rank. */
    double[] weight(int rank) {
        double[][] matrices = new double[groupMatrices.length][];
        for (int group = 0; group < groupMatrices.length; group++) {
            matrices[group] = groupMatrices[group].truncated(rank / groupMatrices.length);
        }
        return assemble(matrices);
    }

    /** The weight whose group matrices ({@code m x n·k}, row-major) are {@code matrices}: the reshape's inverse. */
    double[] assemble(double[][] matrices) {
        double[] w = new double[geometry.outChannels() * m * k];
        for (int group = 0; group < matrices.length; group++) {
            double[] matrix = matrices[group];
            for (int o = 0; o < n; o++) {
                for (int c = 0; c < m; c++) {
                    for (int t = 0; t < k; t++) {
                        w[((group * n + o) * m + c) * k + t] = matrix[c * (n * k) + o * k + t];
                    }
                }
            }
        }
        return w;
    }

    /** The largest rank: every group at full rank. */
    int maxRank() {
        return groupMatrices.length * Math.min(m, n * k);
    }

    double[] fullWeight() {
        return weight(maxRank());
    }

    Tensor weightTensor(DType dtype) {
        return tensor(dtype, fullWeight(), weightShape);
    }

    Tensor biasTensor(DType dtype) {
        return bias == null ? null : tensor(dtype, bias, new int[] {bias.length});
    }

    double[] input(Random random) {
        int size = 1;
        for (int d : inputShape) {
            size *= d;
        }
        return random.doubles(size, -1, 1).toArray();
    }

    /** The original layer (or its rank-r truncation) applied by the brute-force convolution. */
    double[] applyReference(double[] x, double[] w) {
        return ReferenceConvolution.of(geometry).apply(x, inputShape, w, weightShape, bias);
    }

    /** The factor pair applied as two convolutions: A (1x1, stride 1, no padding, groups g), then B. */
    double[] applyPair(double[] x, FactorPair pair) {
        int g = geometry.groups();
        int[] firstShape = intShape(pair.first());
        int[] secondShape = intShape(pair.second());
        ReferenceConvolution first = ReferenceConvolution.pointwise(geometry.spatialAxes(), g);
        double[] hidden = first.apply(x, inputShape, pair.first().toDoubleArray(), firstShape,
                pair.firstBias() == null ? null : pair.firstBias().toDoubleArray());
        int[] hiddenShape = first.outputShape(inputShape, firstShape);
        ReferenceConvolution second = ReferenceConvolution.of(geometry);
        return second.apply(hidden, hiddenShape, pair.second().toDoubleArray(), secondShape,
                pair.secondBias() == null ? null : pair.secondBias().toDoubleArray());
    }

    static int[] intShape(Tensor tensor) {
        long[] dims = tensor.shape().toArray();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Math.toIntExact(dims[i]);
        }
        return shape;
    }

    static Tensor tensor(DType dtype, double[] values, int[] shape) {
        try (Tensor f64 = Tensor.ofDoubles(Shape.of(shape), values)) {
            return f64.to(dtype);
        }
    }

    @Override
    public String toString() {
        return geometry.toString();
    }
}
