package dev.wsvd.onnx;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.util.Random;

/**
 * Brute-force matrix arithmetic for building factor pairs with known products, independent of the code under
 * test: a test picks factors, multiplies them here, and checks the rewritten graph against the product.
 */
public final class Factors {
    private Factors() {
    }

    /** {@code a (m x k) · b (k x n)}, accumulated in double. */
    public static float[] multiply(float[] a, int m, int k, float[] b, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = (float) sum;
            }
        }
        return c;
    }

    public static float[] transpose(float[] a, int rows, int columns) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                t[j * rows + i] = a[i * columns + j];
            }
        }
        return t;
    }

    public static float[] scale(float[] a, float factor) {
        float[] s = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] * factor;
        }
        return s;
    }

    /** A Linear pair of random factors: first {@code rank x in}, second {@code out x rank}. */
    public static FactorPair randomLinear(Random random, int in, int out, int rank, float[] secondBias) {
        Tensor first = Tensor.ofFloats(Shape.of(rank, in), Graphs.random(random, rank * in));
        Tensor second = Tensor.ofFloats(Shape.of(out, rank), Graphs.random(random, out * rank));
        return secondBias == null ? new FactorPair(rank, first, null, second, null)
                : new FactorPair(rank, first, Tensor.allocate(dev.wsvd.tensor.DType.F32, Shape.of(rank)), second,
                        Tensor.ofFloats(Shape.of(out), secondBias));
    }

    /** {@code second · first} of a Linear pair: the {@code out x in} weight it computes. */
    public static float[] linearProduct(FactorPair pair) {
        int rank = pair.rank();
        int in = pair.first().shape().intDim(1);
        int out = pair.second().shape().intDim(0);
        return multiply(pair.second().toFloatArray(), out, rank, pair.first().toFloatArray(), in);
    }

    /**
     * A Conv pair of random factors: first {@code rank x Cin/g x 1...}, second {@code Cout x rank/g x kernel...}.
     */
    public static FactorPair randomConv(Random random, int in, int out, int groups, int rank, int[] kernel, float[] secondBias) {
        long[] firstDims = new long[2 + kernel.length];
        long[] secondDims = new long[2 + kernel.length];
        firstDims[0] = rank;
        firstDims[1] = in / groups;
        secondDims[0] = out;
        secondDims[1] = rank / groups;
        for (int i = 0; i < kernel.length; i++) {
            firstDims[2 + i] = 1;
            secondDims[2 + i] = kernel[i];
        }
        Shape firstShape = Shape.of(firstDims);
        Shape secondShape = Shape.of(secondDims);
        Tensor first = Tensor.ofFloats(firstShape, Graphs.random(random, (int) firstShape.size()));
        Tensor second = Tensor.ofFloats(secondShape, Graphs.random(random, (int) secondShape.size()));
        return secondBias == null ? new FactorPair(rank, first, null, second, null)
                : new FactorPair(rank, first, Tensor.allocate(dev.wsvd.tensor.DType.F32, Shape.of(rank)), second,
                        Tensor.ofFloats(Shape.of(out), secondBias));
    }

    /**
     * The convolution weight {@code Cout x Cin/g x kernel...} equal to running the pair's 1x1 convolution
     * then its second one: within each group, {@code W[o, c, k] = Σ_j second[o, j, k] · first[g·r/g + j, c]}.
     */
    public static float[] convProduct(FactorPair pair, int groups) {
        Shape secondShape = pair.second().shape();
        int out = secondShape.intDim(0);
        int ranksPerGroup = secondShape.intDim(1);
        int inPerGroup = pair.first().shape().intDim(1);
        int kernelSize = (int) (secondShape.size() / ((long) out * ranksPerGroup));
        int outPerGroup = out / groups;
        float[] first = pair.first().toFloatArray();
        float[] second = pair.second().toFloatArray();
        float[] weight = new float[out * inPerGroup * kernelSize];
        for (int o = 0; o < out; o++) {
            int group = o / outPerGroup;
            for (int c = 0; c < inPerGroup; c++) {
                for (int k = 0; k < kernelSize; k++) {
                    double sum = 0;
                    for (int j = 0; j < ranksPerGroup; j++) {
                        sum += (double) second[(o * ranksPerGroup + j) * kernelSize + k]
                                * first[(group * ranksPerGroup + j) * inPerGroup + c];
                    }
                    weight[(o * inPerGroup + c) * kernelSize + k] = (float) sum;
                }
            }
        }
        return weight;
    }
}
