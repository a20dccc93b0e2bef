package dev.wsvd.layer;

import static dev.wsvd.layer.OutputOptimum.subtract;
import static dev.wsvd.layer.OutputOptimum.sumOfSquares;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsvd.linalg.GramAccumulator;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The data-aware split of convolutions against independent truth: per group, the optimum of
 * {@code ||X·(M - M')||} over rank r from an SVD of the outputs {@code X·M} ({@link OutputOptimum}), where
 * {@code M} is the group's {@code Cin/g x (Cout/g·k)} matrix (read from {@link ConvCase}'s known group matrices)
 * and {@code X} holds the input channel vectors at every spatial position of a random input; the weight
 * {@code W_r} is put together from the {@code M_r} by the reshape {@link ConvCase} writes out from its
 * definition; convolutions are the brute-force {@link ReferenceConvolution}.
 *
 * <p>What the whitened spectrum predicts, per group: {@code Σ_{i>r} σ_i² = ||X·(M - M_r)||²}, the output error of
 * every output channel and kernel offset on its own (the cross terms between offsets are not counted). For a
 * 1x1, stride-1, unpadded convolution each output position reads one input position, so that is exactly the
 * convolution's output error; for a kxk convolution it is the sum over offsets of the per-offset errors.
 *
 * <p>Tolerances as in {@link DataAwareLinearTest}: the pair computes the convolution of {@code W_r} to 1e-10
 * relative (both are sums of the same products in f64; measured at most 1e-14); predicted and direct errors
 * agree to 1e-9 of the output energy.
 */
class DataAwareConvTest {
    private static final double F64_TOLERANCE = 1e-10;
    private static final double ENERGY_TOLERANCE = 1e-9;

    private static List<ConvCase> kernelCases(Random random) {
        return List.of(
                // stride 2, symmetric padding, bias
                new ConvCase(ConvGeometry.builder(6, 8, 3, 3).stride(2, 2).padding(1, 1).bias(true).inputSpatial(9, 9).build(),
                        new long[] {9, 9}, random),
                // grouped (3 groups), non-square kernel, stride on one axis, padding, bias
                new ConvCase(ConvGeometry.builder(6, 9, 2, 3).groups(3).stride(1, 2).padding(1, 0).bias(true).inputSpatial(7, 8).build(),
                        new long[] {7, 8}, random),
                // grouped 1-D with stride, dilation and asymmetric padding
                new ConvCase(ConvGeometry.builder(6, 4, 3).groups(2).stride(2).dilation(2).padding(1, 2).inputSpatial(15).build(),
                        new long[] {15}, random));
    }

    @Test
    void pairComputesTheConvolutionOfTheOptimumAndPredictsThePerOffsetErrors() {
        Random random = new Random(201);
        for (ConvCase layer : kernelCases(random)) {
            double[] x = layer.input(random);
            InputRows rows = InputRows.of(x, layer.inputShape);
            try (Tensor w = layer.weightTensor(DType.F64);
                 Tensor b = layer.biasTensor(DType.F64);
                 Tensor g = Tensor.ofDoubles(Shape.of(rows.channels, rows.channels), OutputOptimum.gram(rows.values, rows.count, rows.channels));
                 LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b, g)) {
                double energy = perOffsetOutputError(layer, layer.fullWeight(), rows);
                assertEquals(energy, squaredSpectrum(svd, 0), ENERGY_TOLERANCE * energy, layer + ": Σ σ² is the output energy");
                int step = layer.geometry.groups();
                for (int rank = step; rank <= svd.maxRank(); rank += step) {
                    double[] optimum = optimum(layer, rows, rank);
                    try (FactorPair pair = svd.factors(rank); Tensor product = Reconstruction.weight(layer.geometry, pair)) {
                        String what = layer + " at rank " + rank;
                        LayerSvdTest.assertClose(optimum, product.toDoubleArray(), F64_TOLERANCE, what + ": W_r");
                        LayerSvdTest.assertClose(layer.applyReference(x, optimum), layer.applyPair(x, pair), F64_TOLERANCE, what + ": outputs");
                        double direct = perOffsetOutputError(layer, subtract(layer.fullWeight(), optimum), rows);
                        assertEquals(direct, squaredSpectrum(svd, rank / step), ENERGY_TOLERANCE * energy, what + ": per-offset error");
                        assertEquals(Math.sqrt(direct / energy), svd.relativeOutputError(rank), ENERGY_TOLERANCE, what);
                        double weightError = Math.sqrt(sumOfSquares(subtract(layer.fullWeight(), optimum)) / sumOfSquares(layer.fullWeight()));
                        assertEquals(weightError, svd.relativeError(rank), ENERGY_TOLERANCE, what + ": weight error");
                    }
                }
            }
        }
    }

    /**
     * A 1x1 convolution reads each input position once, so the predicted error is the convolution's own output
     * error over the input it was calibrated on. The Gram is accumulated as calibration does, batch by batch.
     */
    @Test
    void pointwiseConvolutionPredictsItsOutputErrorExactly() {
        Random random = new Random(202);
        ConvCase layer = new ConvCase(ConvGeometry.builder(6, 8, 1, 1).groups(2).bias(true).inputSpatial(5, 5).build(),
                new long[] {5, 5}, random);
        double[] x = layer.input(random);
        InputRows rows = InputRows.of(x, layer.inputShape);
        try (GramAccumulator accumulator = new GramAccumulator(rows.channels)) {
            int half = rows.count / 2;
            try (Tensor first = Tensor.ofDoubles(Shape.of(half, rows.channels), java.util.Arrays.copyOfRange(rows.values, 0, half * rows.channels));
                 Tensor second = Tensor.ofDoubles(Shape.of(rows.count - half, rows.channels),
                         java.util.Arrays.copyOfRange(rows.values, half * rows.channels, rows.values.length))) {
                accumulator.add(first);
                accumulator.add(second);
            }
            double[] original = layer.applyReference(x, layer.fullWeight());
            double energy = convolutionOutputError(original, layer.applyReference(x, new double[layer.fullWeight().length]));
            try (Tensor w = layer.weightTensor(DType.F64);
                 Tensor b = layer.biasTensor(DType.F64);
                 Tensor g = accumulator.gram();
                 LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b, g)) {
                for (int rank = 2; rank <= svd.maxRank(); rank += 2) {
                    try (FactorPair pair = svd.factors(rank)) {
                        double direct = convolutionOutputError(original, layer.applyPair(x, pair));
                        assertEquals(direct, squaredSpectrum(svd, rank / 2), ENERGY_TOLERANCE * energy, "rank " + rank);
                        LayerSvdTest.assertClose(optimum(layer, rows, rank), multipliedOut(layer, pair), F64_TOLERANCE, "rank " + rank);
                    }
                }
            }
        }
    }

    @Test
    void fullRankPairReproducesTheWeight() {
        Random random = new Random(203);
        for (ConvCase layer : kernelCases(random)) {
            InputRows rows = InputRows.of(layer.input(random), layer.inputShape);
            try (Tensor w = layer.weightTensor(DType.F64);
                 Tensor b = layer.biasTensor(DType.F64);
                 Tensor g = Tensor.ofDoubles(Shape.of(rows.channels, rows.channels), OutputOptimum.gram(rows.values, rows.count, rows.channels));
                 LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b, g);
                 FactorPair pair = svd.factors(svd.maxRank())) {
                LayerSvdTest.assertClose(layer.fullWeight(), multipliedOut(layer, pair), 1e-12, layer.toString());
            }
        }
    }

    /** {@code G = c·I}: the data-aware split of a (grouped) convolution is its plain split, rank by rank. */
    @Test
    void aMultipleOfTheIdentityGivesThePlainSplit() {
        Random random = new Random(204);
        for (ConvCase layer : kernelCases(random)) {
            int channels = layer.geometry.inChannels();
            double[] identity = new double[channels * channels];
            for (int c = 0; c < channels; c++) {
                identity[c * channels + c] = 0.25;
            }
            try (Tensor w = layer.weightTensor(DType.F64);
                 Tensor b = layer.biasTensor(DType.F64);
                 Tensor g = Tensor.ofDoubles(Shape.of(channels, channels), identity);
                 LayerSvd plain = LayerSvd.decompose(layer.geometry, w, b);
                 LayerSvd dataAware = LayerSvd.decompose(layer.geometry, w, b, g)) {
                int step = layer.geometry.groups();
                for (int rank = step; rank <= plain.maxRank(); rank += step) {
                    try (FactorPair pair = dataAware.factors(rank)) {
                        LayerSvdTest.assertClose(layer.weight(rank), multipliedOut(layer, pair), F64_TOLERANCE, layer + " rank " + rank);
                    }
                    assertEquals(dataAware.relativeError(rank), dataAware.relativeOutputError(rank), F64_TOLERANCE, layer + " rank " + rank);
                }
            }
        }
    }

    /** The input channel vectors at every position of every sample: one row each, {@code count x channels}. */
    record InputRows(double[] values, int count, int channels) {
        static InputRows of(double[] x, int[] shape) {
            int batch = shape[0];
            int channels = shape[1];
            int positions = 1;
            for (int axis = 2; axis < shape.length; axis++) {
                positions *= shape[axis];
            }
            double[] values = new double[batch * positions * channels];
            for (int b = 0; b < batch; b++) {
                for (int c = 0; c < channels; c++) {
                    for (int p = 0; p < positions; p++) {
                        values[(b * positions + p) * channels + c] = x[(b * channels + c) * positions + p];
                    }
                }
            }
            return new InputRows(values, batch * positions, channels);
        }

        /** The rows restricted to the channels of group {@code group} ({@code count x m}). */
        double[] ofGroup(int group, int groups) {
            int m = channels / groups;
            double[] block = new double[count * m];
            for (int row = 0; row < count; row++) {
                System.arraycopy(values, row * channels + group * m, block, row * m, m);
            }
            return block;
        }
    }

    /** The optimum of the output error at {@code rank} ({@code rank/g} per group), as a weight in the reference layout. */
    private static double[] optimum(ConvCase layer, InputRows rows, int rank) {
        int groups = layer.geometry.groups();
        int m = layer.geometry.inChannels() / groups;
        double[][] matrices = new double[groups][];
        for (int group = 0; group < groups; group++) {
            TestMatrices matrix = layer.groupMatrices[group];
            matrices[group] = OutputOptimum.ofRowInputs(matrix.full(), m, matrix.cols, rows.ofGroup(group, groups), rows.count, rank / groups);
        }
        return layer.assemble(matrices);
    }

    /**
     * {@code Σ_g ||X_g·ΔM_g||²}: for every group, output channel and kernel offset, the squared output error of
     * that offset's weights alone over every input row, by loops over the weight change in its stored layout.
     */
    private static double perOffsetOutputError(ConvCase layer, double[] weightChange, InputRows rows) {
        int groups = layer.geometry.groups();
        int m = layer.geometry.inChannels() / groups;
        int n = layer.geometry.outChannels() / groups;
        int k = weightChange.length / (layer.geometry.outChannels() * m);
        double sum = 0;
        for (int group = 0; group < groups; group++) {
            for (int o = 0; o < n; o++) {
                for (int t = 0; t < k; t++) {
                    for (int row = 0; row < rows.count; row++) {
                        double output = 0;
                        for (int c = 0; c < m; c++) {
                            output += weightChange[(((group * n) + o) * m + c) * k + t] * rows.values[row * rows.channels + group * m + c];
                        }
                        sum += output * output;
                    }
                }
            }
        }
        return sum;
    }

    private static double convolutionOutputError(double[] expected, double[] actual) {
        return sumOfSquares(subtract(expected, actual));
    }

    /** {@code Σ over groups of Σ_{i≥q} σ_i²} of the whitened spectra. */
    private static double squaredSpectrum(LayerSvd svd, int groupRank) {
        double sum = 0;
        for (int group = 0; group < svd.groupCount(); group++) {
            sum += DataAwareLinearTest.tail(svd.singularValues(group), groupRank);
        }
        return sum;
    }

    private static double[] multipliedOut(ConvCase layer, FactorPair pair) {
        try (Tensor product = Reconstruction.weight(layer.geometry, pair)) {
            return product.toDoubleArray();
        }
    }
}
