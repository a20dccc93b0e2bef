package dev.wsvd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The split computes the same function as the rank-r layer. Truth comes from outside the code under test:
 * weights built from known singular vectors and values ({@link TestMatrices}, so {@code W_r} is known exactly),
 * applied by the brute-force {@link ReferenceConvolution} or a plain matrix-vector loop.
 *
 * <p>Tolerances: rank-r checks run in f64, where the computed factors match the exact truncation to about
 * {@code 1e-16 / gap} (the spectrum's relative gap is 0.2; measured at most 3e-15), so 1e-10 leaves a wide
 * margin. The full-rank f32 checks use 1e-5 relative: f32 rounds at 6e-8, the SVD is backward stable (error
 * a small multiple of that times the matrix size, here at most ~50), and the two convolutions add a few more
 * roundings (measured at most 9e-7); 1e-5 is above all of that and far below any real defect (a wrong
 * element or layout gives errors of order 1).
 */
class LayerSvdTest {
    private static final double F64_TOLERANCE = 1e-10;
    private static final double F32_FULL_RANK_TOLERANCE = 1e-5;

    // ---- Linear ----------------------------------------------------------------------------------------------

    @Test
    void linearPairComputesTheRankRMap() {
        Random random = new Random(1);
        int in = 9;
        int out = 12;
        TestMatrices matrix = TestMatrices.withSpectrum(out, in, TestMatrices.geometricSpectrum(in), random);
        double[] bias = random.doubles(out, -1, 1).toArray();
        LinearGeometry geometry = new LinearGeometry(in, out, true);
        try (Tensor w = Tensor.ofDoubles(Shape.of(out, in), matrix.full());
             Tensor b = Tensor.ofDoubles(Shape.of(out), bias);
             LayerSvd svd = LayerSvd.decompose(geometry, w, b)) {
            double[] x = random.doubles(in, -1, 1).toArray();
            for (int rank : new int[] {1, 4, 9}) {
                for (SingularValuePlacement placement : SingularValuePlacement.values()) {
                    try (FactorPair pair = svd.factors(rank, placement)) {
                        assertArrayEquals(new long[] {rank, in}, pair.first().shape().toArray());
                        assertArrayEquals(new long[] {out, rank}, pair.second().shape().toArray());
                        assertArrayEquals(new double[rank], pair.firstBias().toDoubleArray(), 0.0);
                        assertArrayEquals(bias, pair.secondBias().toDoubleArray(), 0.0);
                        double[] hidden = matVec(pair.first().toDoubleArray(), rank, in, x, pair.firstBias().toDoubleArray());
                        double[] y = matVec(pair.second().toDoubleArray(), out, rank, hidden, bias);
                        double[] expected = matVec(matrix.truncated(rank), out, in, x, bias);
                        assertClose(expected, y, F64_TOLERANCE, "rank " + rank + " " + placement);
                    }
                }
            }
        }
    }

    @Test
    void referencePlacementKeepsTheFirstFactorOrthonormalBalancedSharesTheScale() {
        Random random = new Random(2);
        double[] sigma = {5, 3, 2, 1, 0.5};
        TestMatrices matrix = TestMatrices.withSpectrum(7, 6, sigma, random);
        try (Tensor w = Tensor.ofDoubles(Shape.of(7, 6), matrix.full());
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(6, 7, false), w);
             FactorPair reference = svd.factors(3);
             FactorPair balanced = svd.factors(3, SingularValuePlacement.BALANCED)) {
            assertNull(reference.firstBias());
            for (int i = 0; i < 3; i++) {
                // A rows are right singular vectors (unit); B columns carry sigma_i
                assertEquals(1.0, rowNorm(reference.first(), i), 1e-12);
                assertEquals(sigma[i], columnNorm(reference.second(), i), 1e-12);
                // balanced: both sides sqrt(sigma_i)
                assertEquals(Math.sqrt(sigma[i]), rowNorm(balanced.first(), i), 1e-12);
                assertEquals(Math.sqrt(sigma[i]), columnNorm(balanced.second(), i), 1e-12);
            }
        }
    }

    @Test
    void linearFullRankPairReproducesTheLayerInF32() {
        Random random = new Random(3);
        int in = 40;
        int out = 24;
        double[] weight = random.doubles(in * out, -1, 1).toArray();
        try (Tensor w = ConvCase.tensor(DType.F32, weight, new int[] {out, in});
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(in, out, false), w);
             FactorPair pair = svd.factors(svd.maxRank())) {
            assertEquals(DType.F32, pair.first().dtype());
            assertEquals(24, pair.rank());
            double[] x = random.doubles(in, -1, 1).toArray();
            double[] y = matVec(pair.second().toDoubleArray(), out, 24, matVec(pair.first().toDoubleArray(), 24, in, x, null), null);
            assertClose(matVec(w.toDoubleArray(), out, in, x, null), y, F32_FULL_RANK_TOLERANCE, "full rank f32");
        }
    }

    // ---- Convolutions ----------------------------------------------------------------------------------------

    private static List<ConvCase> convCases(Random random) {
        return List.of(
                // stride 2, symmetric padding, bias
                new ConvCase(ConvGeometry.builder(6, 8, 3, 3).stride(2, 2).padding(1, 1).bias(true).inputSpatial(9, 9).build(),
                        new long[] {9, 9}, random),
                // non-square kernel, dilation, asymmetric begin/end padding, no bias
                new ConvCase(ConvGeometry.builder(5, 4, 3, 2).dilation(2, 1).padding(0, 1, 1, 0).inputSpatial(10, 11).build(),
                        new long[] {10, 11}, random),
                // grouped (3 groups), non-square kernel, stride on one axis, bias
                new ConvCase(ConvGeometry.builder(6, 9, 2, 3).groups(3).stride(1, 2).padding(1, 0).bias(true).inputSpatial(7, 8).build(),
                        new long[] {7, 8}, random),
                // Conv1d with stride, dilation and asymmetric padding, bias
                new ConvCase(ConvGeometry.builder(5, 7, 3).stride(2).dilation(2).padding(1, 2).bias(true).inputSpatial(15).build(),
                        new long[] {15}, random),
                // a 1x1 convolution with fewer outputs than inputs: the rank is bounded by Cout
                new ConvCase(ConvGeometry.builder(8, 3, 1, 1).inputSpatial(4, 4).build(), new long[] {4, 4}, random));
    }

    @Test
    void convPairComputesTheRankRConvolution() {
        Random random = new Random(4);
        for (ConvCase layer : convCases(random)) {
            try (Tensor w = layer.weightTensor(DType.F64);
                 Tensor b = layer.biasTensor(DType.F64);
                 LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b)) {
                assertEquals(layer.maxRank(), svd.maxRank(), layer.toString());
                double[] x = layer.input(random);
                int step = layer.geometry.groups();
                for (int rank = step; rank <= svd.maxRank(); rank += step) {
                    try (FactorPair pair = svd.factors(rank)) {
                        checkConvShapes(layer.geometry, rank, pair);
                        double[] expected = layer.applyReference(x, layer.weight(rank));
                        assertClose(expected, layer.applyPair(x, pair), F64_TOLERANCE, layer + " at rank " + rank);
                    }
                }
            }
        }
    }

    @Test
    void balancedConvPairComputesTheSameFunction() {
        Random random = new Random(5);
        ConvCase layer = convCases(random).get(2); // grouped
        try (Tensor w = layer.weightTensor(DType.F64);
             Tensor b = layer.biasTensor(DType.F64);
             LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b);
             FactorPair pair = svd.factors(6, SingularValuePlacement.BALANCED)) {
            double[] x = layer.input(random);
            assertClose(layer.applyReference(x, layer.weight(6)), layer.applyPair(x, pair), F64_TOLERANCE, "balanced grouped");
        }
    }

    @Test
    void convFullRankPairReproducesTheLayerInF32() {
        Random random = new Random(6);
        for (ConvCase layer : convCases(random)) {
            // an unstructured f32 weight this time: nothing about its spectrum is special
            double[] weight = random.doubles(layer.fullWeight().length, -1, 1).toArray();
            try (Tensor w = ConvCase.tensor(DType.F32, weight, layer.weightShape);
                 Tensor b = layer.biasTensor(DType.F32);
                 LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b);
                 FactorPair pair = svd.factors(svd.maxRank())) {
                assertEquals(DType.F32, pair.second().dtype());
                double[] x = layer.input(random);
                double[] original = ReferenceConvolution.of(layer.geometry).apply(x, layer.inputShape, w.toDoubleArray(),
                        layer.weightShape, b == null ? null : b.toDoubleArray());
                assertClose(original, layer.applyPair(x, pair), F32_FULL_RANK_TOLERANCE, layer + " full rank f32");
            }
        }
    }

    private static void checkConvShapes(ConvGeometry geometry, int rank, FactorPair pair) {
        int axes = geometry.spatialAxes();
        long[] first = new long[2 + axes];
        java.util.Arrays.fill(first, 1);
        first[0] = rank;
        first[1] = geometry.inChannels() / geometry.groups();
        long[] second = new long[2 + axes];
        second[0] = geometry.outChannels();
        second[1] = rank / geometry.groups();
        for (int a = 0; a < axes; a++) {
            second[2 + a] = geometry.kernel()[a];
        }
        assertArrayEquals(first, pair.first().shape().toArray());
        assertArrayEquals(second, pair.second().shape().toArray());
        assertEquals(geometry.hasBias(), pair.firstBias() != null);
        if (pair.firstBias() != null) {
            assertArrayEquals(new double[rank], pair.firstBias().toDoubleArray(), 0.0);
        }
    }

    // ---- One decomposition, errors, profile, energy -------------------------------------------------------

    @Test
    void everyRankComesFromOneDecompositionPerGroup() {
        Random random = new Random(7);
        CountingDecomposer counting = new CountingDecomposer();
        try (Tensor w = ConvCase.tensor(DType.F32, random.doubles(32 * 16 * 9, -1, 1).toArray(), new int[] {32, 16, 3, 3});
             LayerSvd svd = LayerSvd.decompose(ConvGeometry.builder(16, 32, 3, 3).inputSpatial(8, 8).build(), w, null, counting)) {
            assertEquals(1, counting.count());
            for (int rank = 2; rank <= 16; rank += 2) {
                try (FactorPair pair = svd.factors(rank)) {
                    assertEquals(rank, pair.rank());
                }
                svd.relativeError(rank);
            }
            svd.profile();
            svd.rankForEnergy(0.9);
            assertEquals(1, counting.count());
        }
        counting.reset();
        ConvGeometry grouped = ConvGeometry.builder(8, 8, 3, 3).groups(4).build();
        try (Tensor w = ConvCase.tensor(DType.F32, random.doubles(8 * 2 * 9, -1, 1).toArray(), new int[] {8, 2, 3, 3});
             LayerSvd svd = LayerSvd.decompose(grouped, w, null, counting)) {
            svd.factors(4).close();
            svd.factors(8).close();
            assertEquals(4, counting.count()); // one per group, none per rank
        }
    }

    @Test
    void profileErrorsAreTheTruncationErrorsOfTheKnownSpectrum() {
        Random random = new Random(8);
        ConvCase layer = convCases(random).get(2); // grouped: 3 groups, each 2 x 9 with spectrum 1, 0.8
        try (Tensor w = layer.weightTensor(DType.F64);
             Tensor b = layer.biasTensor(DType.F64);
             LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b)) {
            RankProfile profile = svd.profile();
            LayerCost cost = LayerCost.of(layer.geometry);
            assertArrayEquals(new int[] {3, 6}, profile.ranks());
            double total = 0;
            for (TestMatrices group : layer.groupMatrices) {
                for (double s : group.sigma) {
                    total += s * s;
                }
            }
            // rank 3 keeps the first singular value of each group and drops 0.8 from each
            assertEquals(Math.sqrt(3 * 0.64 / total), profile.weightError()[0], 1e-12);
            assertEquals(0.0, profile.weightError()[1], 1e-12);
            // and it is the explicit error of the truncated weight, computed here from the weights themselves
            assertEquals(frobeniusDistance(layer.fullWeight(), layer.weight(3)) / frobeniusNorm(layer.fullWeight()),
                    svd.relativeError(3), 1e-12);
            assertEquals(svd.relativeError(3), profile.weightError()[0]);
            assertArrayEquals(new long[] {cost.params(3), cost.params(6)}, profile.params());
            assertArrayEquals(new long[] {cost.macs(3), cost.macs(6)}, profile.macs());
            assertEquals(profile, svd.profile(), "a value: equal arrays make equal profiles");
            assertEquals(profile.hashCode(), svd.profile().hashCode());
        }
    }

    @Test
    void profileWithoutAnOutputSizeHasNoMacs() {
        Random random = new Random(9);
        try (Tensor w = ConvCase.tensor(DType.F32, random.doubles(4 * 3 * 4, -1, 1).toArray(), new int[] {4, 3, 2, 2});
             LayerSvd svd = LayerSvd.decompose(ConvGeometry.builder(3, 4, 2, 2).build(), w)) {
            RankProfile profile = svd.profile();
            assertNull(profile.macs());
            assertArrayEquals(new int[] {1, 2, 3}, profile.ranks());
            assertEquals(3, profile.params().length);
        }
    }

    @Test
    void energyRuleKeepsTheRequestedFractionOfTheSquaredSpectrum() {
        Random random = new Random(10);
        double[] sigma = TestMatrices.geometricSpectrum(10);
        TestMatrices matrix = TestMatrices.withSpectrum(10, 14, sigma, random);
        try (Tensor w = Tensor.ofDoubles(Shape.of(10, 14), matrix.full());
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(14, 10, false), w)) {
            for (double fraction : new double[] {0.3, 0.5, 0.9, 0.99, 0.999}) {
                assertEquals(smallestRankKeeping(fraction, sigma), svd.rankForEnergy(fraction), "fraction " + fraction);
            }
            assertEquals(10, svd.rankForEnergy(1.0));
            assertEquals(1, svd.rankForEnergy(1e-9));
            assertThrows(IllegalArgumentException.class, () -> svd.rankForEnergy(0));
            assertThrows(IllegalArgumentException.class, () -> svd.rankForEnergy(1.5));
        }
    }

    /** Singular values (3, 2, 1, 0, 0): ranks 1, 2, 3 keep 9/14, 13/14 and all of the energy, by hand. */
    @Test
    void energyRuleOnAHandComputedSpectrum() {
        double[] weight = new double[25];
        weight[0 * 5 + 2] = 3; // a scaled permutation: its singular values are the entries
        weight[1 * 5 + 0] = 2;
        weight[2 * 5 + 4] = 1;
        try (Tensor w = Tensor.ofDoubles(Shape.of(5, 5), weight);
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(5, 5, false), w)) {
            assertEquals(1, svd.rankForEnergy(0.5));
            assertEquals(2, svd.rankForEnergy(0.65));
            assertEquals(2, svd.rankForEnergy(0.92));
            assertEquals(3, svd.rankForEnergy(0.93));
            assertEquals(3, svd.rankForEnergy(1.0)); // the number of non-zero values, not 5
            assertEquals(Math.sqrt(5.0 / 14), svd.relativeError(1), 1e-15);
        }
    }

    @Test
    void groupedEnergyRuleGivesEveryGroupTheSameRank() {
        Random random = new Random(11);
        ConvCase layer = convCases(random).get(2); // 3 groups, spectra (1, 0.8): rank 3 keeps 1/1.64 = 61%
        try (Tensor w = layer.weightTensor(DType.F64);
             Tensor b = layer.biasTensor(DType.F64);
             LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b)) {
            assertEquals(3, svd.rankForEnergy(0.6));
            assertEquals(6, svd.rankForEnergy(0.62));
        }
    }

    // ---- Bad input ------------------------------------------------------------------------------------------

    @Test
    void depthwiseConvolutionsAreRefusedWithTheReason() {
        ConvGeometry depthwise = ConvGeometry.builder(4, 4, 3, 3).groups(4).build();
        try (Tensor w = Tensor.allocate(DType.F32, Shape.of(4, 1, 3, 3))) {
            SplitRefusedException refused = assertThrows(SplitRefusedException.class, () -> LayerSvd.decompose(depthwise, w));
            assertTrue(refused.reason().contains("depthwise"), refused.reason());
        }
    }

    @Test
    void nonFiniteWeightsAreRejectedNamingTheElement() {
        try (Tensor w = Tensor.allocate(DType.F32, Shape.of(3, 4))) {
            w.setDouble(1 * 4 + 2, Double.NaN);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> LayerSvd.decompose(new LinearGeometry(4, 3, false), w));
            assertTrue(error.getMessage().contains("[1, 2]") && error.getMessage().contains("NaN"), error.getMessage());
        }
    }

    @Test
    void shapesAndBiasMustMatchTheGeometry() {
        try (Tensor w = Tensor.allocate(DType.F32, Shape.of(3, 4));
             Tensor bias = Tensor.allocate(DType.F32, Shape.of(3));
             Tensor wrongBias = Tensor.allocate(DType.F32, Shape.of(4))) {
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> LayerSvd.decompose(new LinearGeometry(3, 4, false), w));
            assertTrue(shape.getMessage().contains("expected 4x3"), shape.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LayerSvd.decompose(new LinearGeometry(4, 3, true), w));
            assertThrows(IllegalArgumentException.class, () -> LayerSvd.decompose(new LinearGeometry(4, 3, false), w, bias));
            assertThrows(IllegalArgumentException.class, () -> LayerSvd.decompose(new LinearGeometry(4, 3, true), w, wrongBias));
        }
    }

    @Test
    void ranksOutsideTheValidSetAreRejectedNamingTheRange() {
        Random random = new Random(12);
        try (Tensor w = ConvCase.tensor(DType.F32, random.doubles(6 * 2 * 4, -1, 1).toArray(), new int[] {6, 2, 2, 2});
             LayerSvd svd = LayerSvd.decompose(ConvGeometry.builder(4, 6, 2, 2).groups(2).build(), w)) {
            IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> svd.factors(3));
            assertTrue(odd.getMessage().contains("multiples of 2") && odd.getMessage().contains("to 4"), odd.getMessage());
            assertThrows(IllegalArgumentException.class, () -> svd.factors(0));
            assertThrows(IllegalArgumentException.class, () -> svd.factors(6));
        }
    }

    @Test
    void halfPrecisionWeightsAreWidenedToF32() {
        Random random = new Random(13);
        try (Tensor w = ConvCase.tensor(DType.F16, random.doubles(5 * 7, -1, 1).toArray(), new int[] {5, 7});
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(7, 5, false), w);
             FactorPair pair = svd.factors(5)) {
            assertEquals(DType.F32, svd.dtype());
            double[] x = random.doubles(7, -1, 1).toArray();
            double[] y = matVec(pair.second().toDoubleArray(), 5, 5, matVec(pair.first().toDoubleArray(), 5, 7, x, null), null);
            assertClose(matVec(w.toDoubleArray(), 5, 7, x, null), y, F32_FULL_RANK_TOLERANCE, "f16 widened");
        }
    }

    @Test
    void useAfterCloseFailsClearly() {
        Tensor w = Tensor.ofDoubles(Shape.of(2, 2), 1, 2, 3, 4);
        LayerSvd svd = LayerSvd.decompose(new LinearGeometry(2, 2, false), w);
        svd.close();
        svd.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> svd.factors(1));
        assertThrows(IllegalStateException.class, svd::profile);
        assertThrows(IllegalStateException.class, () -> svd.relativeError(1));
        w.close();
    }

    @Test
    void aRefusedChoiceFormsNoFactors() {
        try (Tensor w = Tensor.ofDoubles(Shape.of(4, 4), 4, 1, 0, 0, 1, 3, 1, 0, 0, 1, 2, 1, 0, 0, 1, 1);
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(4, 4, false), w)) {
            RankChoice choice = svd.cost().choose(1.0, CostUnit.MEMORY, 1); // rank 2: 16 params, as many as W
            assertThrows(SplitRefusedException.class, () -> svd.factors(choice));
            try (FactorPair pair = svd.factors(svd.cost().choose(0.5, CostUnit.MEMORY, 1))) {
                assertEquals(1, pair.rank());
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The smallest r with {@code Σ_{i<r} σ_i² >= fraction · Σ σ_i²}, by adding the squares one by one. */
    static int smallestRankKeeping(double fraction, double[] sigma) {
        double total = 0;
        for (double s : sigma) {
            total += s * s;
        }
        int rank = 0;
        double kept = 0;
        while (kept < fraction * total) {
            kept += sigma[rank] * sigma[rank];
            rank++;
        }
        return rank;
    }

    private static double[] matVec(double[] matrix, int rows, int cols, double[] x, double[] bias) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double sum = bias == null ? 0 : bias[i];
            for (int j = 0; j < cols; j++) {
                sum += matrix[i * cols + j] * x[j];
            }
            y[i] = sum;
        }
        return y;
    }

    static double rowNorm(Tensor matrix, int row) {
        double sum = 0;
        for (int j = 0; j < matrix.columns(); j++) {
            double v = matrix.get(row, j);
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    static double columnNorm(Tensor matrix, int column) {
        double sum = 0;
        for (int i = 0; i < matrix.rows(); i++) {
            double v = matrix.get(i, column);
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    static double frobeniusNorm(double[] a) {
        double sum = 0;
        for (double v : a) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    static double frobeniusDistance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    /** ||expected - actual|| <= tolerance · ||expected|| (Frobenius over all outputs). */
    static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": output sizes");
        double relative = frobeniusDistance(expected, actual) / frobeniusNorm(expected);
        assertTrue(relative <= tolerance, what + ": relative error " + relative + " exceeds " + tolerance);
    }
}
