package dev.wsvd.layer;

import static dev.wsvd.layer.LayerSvdTest.columnNorm;
import static dev.wsvd.layer.LayerSvdTest.rowNorm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.linalg.Gemm;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * What the data-aware split shares with the plain one and how it is used: the factors it forms (each placement,
 * the same product), one SVD per group for every rank, its types, its refusals and its lifetime. The math
 * itself is checked against independent truth in {@link DataAwareLinearTest} and {@link DataAwareConvTest}.
 *
 * <p>Tolerances: f64 products of orthonormal factors and norms agree to rounding, 1e-12 (measured ~1e-15);
 * f32 and widened f16 weights reproduce their layer at full rank to 1e-5, as in {@link LayerSvdTest}.
 */
class DataAwareSplitTest {
    private static final double F64_TOLERANCE = 1e-12;
    private static final double F32_FULL_RANK_TOLERANCE = 1e-5;

    /** A random {@code n x in} input batch's Gram, far from a multiple of the identity. */
    private static Tensor randomGram(int in, int n, Random random) {
        double[] x = random.doubles((long) n * in, -1, 1).toArray();
        for (int row = 0; row < n; row++) {
            x[row * in] *= 10; // one loud feature, as transformer activations have
        }
        return Tensor.ofDoubles(Shape.of(in, in), OutputOptimum.gram(x, n, in));
    }

    /**
     * FIRST is the split's own form, {@code A = U_rᵀ·W} and {@code B = U_r}: B has orthonormal columns and A is
     * W's coordinates in them. SECOND moves the scale onto B (A's rows of unit norm), BALANCED shares it (equal
     * norms). All three multiply out to the same {@code W_r}.
     */
    @Test
    void linearFactorsInEveryPlacementMultiplyToTheSameApproximation() {
        Random random = new Random(301);
        LinearGeometry geometry = new LinearGeometry(8, 11, true);
        try (Tensor w = Tensor.ofDoubles(Shape.of(11, 8), random.doubles(88, -1, 1).toArray());
             Tensor bias = Tensor.ofDoubles(Shape.of(11), random.doubles(11).toArray());
             Tensor g = randomGram(8, 30, random);
             LayerSvd svd = LayerSvd.decompose(geometry, w, bias, g)) {
            assertEquals(SingularValuePlacement.FIRST, svd.defaultPlacement());
            int rank = 3;
            try (FactorPair own = svd.factors(rank);
                 FactorPair second = svd.factors(rank, SingularValuePlacement.SECOND);
                 FactorPair balanced = svd.factors(rank, SingularValuePlacement.BALANCED);
                 Tensor coordinates = Gemm.multiplyTransposeA(own.second(), w);
                 Tensor product = Reconstruction.weight(geometry, own)) {
                assertArrayEquals(identity(rank), gramOfColumns(own.second()), F64_TOLERANCE, "B = U_r is orthonormal");
                assertArrayEquals(coordinates.toDoubleArray(), own.first().toDoubleArray(), F64_TOLERANCE, "A = U_rᵀ·W");
                assertArrayEquals(new double[rank], own.firstBias().toDoubleArray(), 0.0);
                assertArrayEquals(bias.toDoubleArray(), own.secondBias().toDoubleArray(), 0.0);
                for (int j = 0; j < rank; j++) {
                    double norm = rowNorm(own.first(), j);
                    assertEquals(1.0, rowNorm(second.first(), j), F64_TOLERANCE, "SECOND: unit rows of A");
                    assertEquals(norm, columnNorm(second.second(), j), F64_TOLERANCE, "SECOND: the scale on B");
                    assertEquals(Math.sqrt(norm), rowNorm(balanced.first(), j), F64_TOLERANCE, "BALANCED");
                    assertEquals(Math.sqrt(norm), columnNorm(balanced.second(), j), F64_TOLERANCE, "BALANCED");
                }
                for (FactorPair other : new FactorPair[] {second, balanced}) {
                    try (Tensor otherProduct = Reconstruction.weight(geometry, other)) {
                        assertArrayEquals(product.toDoubleArray(), otherProduct.toDoubleArray(), F64_TOLERANCE);
                    }
                }
            }
        }
    }

    /** A convolution's own form: {@code matrix(B) = V_rᵀ} with orthonormal rows, {@code matrix(A) = M·V_r}. */
    @Test
    void convFactorsInEveryPlacementMultiplyToTheSameApproximation() {
        Random random = new Random(302);
        ConvCase layer = new ConvCase(ConvGeometry.builder(6, 9, 2, 3).groups(3).padding(1, 0).bias(true).build(), new long[] {6, 6}, random);
        try (Tensor w = layer.weightTensor(DType.F64);
             Tensor b = layer.biasTensor(DType.F64);
             Tensor g = randomGram(6, 40, random);
             LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b, g);
             FactorPair own = svd.factors(3);
             Tensor product = Reconstruction.weight(layer.geometry, own)) {
            WeightLayout layout = WeightLayout.of(layer.geometry);
            PairGeometry pair = PairGeometry.of(layer.geometry, 3);
            for (int group = 0; group < 3; group++) {
                try (Tensor basis = WeightLayout.of(pair.second()).groupMatrix(own.second(), group);     // 1 x 9
                     Tensor coordinates = WeightLayout.of(pair.first()).groupMatrix(own.first(), group); // 2 x 1
                     Tensor matrix = layout.groupMatrix(w, group);                                        // 2 x 9
                     Tensor expected = Gemm.multiplyTransposeB(matrix, basis)) {
                    assertEquals(1.0, rowNorm(basis, 0), F64_TOLERANCE, "group " + group + ": V_rᵀ has unit rows");
                    assertArrayEquals(expected.toDoubleArray(), coordinates.toDoubleArray(), F64_TOLERANCE, "group " + group + ": M·V_r");
                }
            }
            for (SingularValuePlacement placement : SingularValuePlacement.values()) {
                try (FactorPair other = svd.factors(3, placement); Tensor otherProduct = Reconstruction.weight(layer.geometry, other)) {
                    assertArrayEquals(product.toDoubleArray(), otherProduct.toDoubleArray(), F64_TOLERANCE, placement.toString());
                }
            }
        }
    }

    /** A weight of lower rank than the layer: its last coordinates are zero, and SECOND must not divide by them. */
    @Test
    void zeroComponentsStayZeroInEveryPlacement() {
        Random random = new Random(303);
        TestMatrices rankTwo = TestMatrices.withSpectrum(5, 6, new double[] {2, 1}, random);
        LinearGeometry geometry = new LinearGeometry(6, 5, false);
        try (Tensor w = Tensor.ofDoubles(Shape.of(5, 6), rankTwo.full());
             Tensor g = randomGram(6, 20, random);
             LayerSvd svd = LayerSvd.decompose(geometry, w, null, g)) {
            for (SingularValuePlacement placement : SingularValuePlacement.values()) {
                try (FactorPair pair = svd.factors(5, placement); Tensor product = Reconstruction.weight(geometry, pair)) {
                    assertArrayEquals(rankTwo.full(), product.toDoubleArray(), F64_TOLERANCE, placement.toString());
                }
            }
            assertEquals(0.0, svd.relativeError(2), 1e-7, "rank 2 keeps all of a rank-2 weight");
        }
    }

    @Test
    void everyRankComesFromOneDecompositionPerGroup() {
        Random random = new Random(304);
        CountingDecomposer counting = new CountingDecomposer();
        ConvGeometry grouped = ConvGeometry.builder(8, 8, 3, 3).groups(4).inputSpatial(6, 6).build();
        try (Tensor w = ConvCase.tensor(DType.F32, random.doubles(8 * 2 * 9, -1, 1).toArray(), new int[] {8, 2, 3, 3});
             Tensor g = randomGram(8, 50, random);
             LayerSvd svd = LayerSvd.decompose(grouped, w, null, g, counting)) {
            assertEquals(4, counting.count());
            for (int rank = 4; rank <= 8; rank += 4) {
                svd.factors(rank).close();
                svd.factors(rank, SingularValuePlacement.BALANCED).close();
                svd.relativeError(rank);
                svd.relativeOutputError(rank);
            }
            svd.profile();
            svd.rankForEnergy(0.9);
            assertEquals(4, counting.count(), "one per group, none per rank");
        }
    }

    @Test
    void f32AndHalfPrecisionWeightsComputeInF64AndComeOutInF32() {
        Random random = new Random(305);
        for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            double[] weight = random.doubles(6 * 9, -1, 1).toArray();
            LinearGeometry geometry = new LinearGeometry(9, 6, false);
            try (Tensor w = ConvCase.tensor(dtype, weight, new int[] {6, 9});
                 Tensor g = randomGram(9, 30, random);
                 Tensor g32 = g.to(DType.F32);
                 LayerSvd svd = LayerSvd.decompose(geometry, w, null, g32);
                 FactorPair pair = svd.factors(svd.maxRank());
                 Tensor product = Reconstruction.weight(geometry, pair)) {
                assertEquals(DType.F32, svd.dtype());
                assertEquals(DType.F32, pair.first().dtype());
                assertEquals(DType.F32, pair.second().dtype());
                LayerSvdTest.assertClose(w.toDoubleArray(), product.toDoubleArray(), F32_FULL_RANK_TOLERANCE, dtype + " full rank");
            }
        }
    }

    /** The energy a data-aware split keeps is the output's: the rule reads the whitened spectrum. */
    @Test
    void energyRuleKeepsTheRequestedFractionOfTheOutputEnergy() {
        Random random = new Random(306);
        try (Tensor w = Tensor.ofDoubles(Shape.of(10, 12), random.doubles(120, -1, 1).toArray());
             Tensor g = randomGram(12, 40, random);
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(12, 10, false), w, null, g)) {
            for (double fraction : new double[] {0.5, 0.9, 0.99}) {
                assertEquals(LayerSvdTest.smallestRankKeeping(fraction, svd.singularValues(0)), svd.rankForEnergy(fraction),
                        "fraction " + fraction);
            }
        }
    }

    @Test
    void aPlainSplitHasNoOutputError() {
        try (Tensor w = Tensor.ofDoubles(Shape.of(2, 3), 1, 2, 3, 4, 5, 7);
             LayerSvd svd = LayerSvd.decompose(new LinearGeometry(3, 2, false), w)) {
            assertFalse(svd.isDataAware());
            assertEquals(0.0, svd.relativeGramShift());
            assertNull(svd.profile().outputError());
            assertEquals(SingularValuePlacement.SECOND, svd.defaultPlacement());
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> svd.relativeOutputError(1));
            assertTrue(error.getMessage().contains("Linear(3->2)") && error.getMessage().contains("Gram of its inputs"), error.getMessage());
        }
    }

    // ---- Bad Grams -------------------------------------------------------------------------------------------

    @Test
    void nonFiniteGramElementsAreRefusedNamingThem() {
        LinearGeometry geometry = new LinearGeometry(4, 3, false);
        try (Tensor w = Tensor.ofDoubles(Shape.of(3, 4), 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0);
             Tensor g = randomGram(4, 10, new Random(307))) {
            g.setDouble(2 * 4 + 1, Double.NaN);
            assertRefused(geometry, w, g, "element [2, 1]", "NaN", "input Gram of Linear(4->3)");
            g.setDouble(2 * 4 + 1, g.getDouble(1 * 4 + 2));
            g.setDouble(1 * 4 + 3, Double.POSITIVE_INFINITY); // the upper triangle counts too
            assertRefused(geometry, w, g, "element [1, 3]", "Infinity");
        }
    }

    @Test
    void aGramOfTheWrongSizeIsRefusedNamingTheSizeExpected() {
        Random random = new Random(308);
        try (Tensor w = Tensor.ofDoubles(Shape.of(3, 4), random.doubles(12).toArray()); Tensor g5 = randomGram(5, 10, random)) {
            assertRefused(new LinearGeometry(4, 3, false), w, g5, "expected 4x4", "input features", "Linear(4->3)");
        }
        ConvGeometry grouped = ConvGeometry.builder(6, 9, 2, 3).groups(3).build();
        try (Tensor w = ConvCase.tensor(DType.F32, random.doubles(9 * 2 * 6).toArray(), new int[] {9, 2, 2, 3});
             Tensor perGroup = randomGram(2, 10, random)) {
            assertRefused(grouped, w, perGroup, "expected 6x6", "all 3 groups");
        }
    }

    @Test
    void aGramThatCannotBeOneIsRefusedSayingWhy() {
        Random random = new Random(309);
        LinearGeometry geometry = new LinearGeometry(4, 3, false);
        try (Tensor w = Tensor.ofDoubles(Shape.of(3, 4), random.doubles(12).toArray());
             Tensor g = randomGram(4, 10, random);
             Tensor zeros = Tensor.allocate(DType.F64, Shape.of(4, 4))) {
            g.setDouble(0 * 4 + 2, 0); // an upper triangle left empty
            assertRefused(geometry, w, g, "not symmetric", "[2, 0]", "Linear(4->3)");
            g.setDouble(0 * 4 + 2, g.getDouble(2 * 4 + 0));
            g.setDouble(3 * 4 + 3, -1);
            assertRefused(geometry, w, g, "element [3, 3]", "sums of squares");
            assertRefused(geometry, w, zeros, "Linear(4->3)", "mean diagonal"); // Cholesky's refusal, naming the layer
        }
    }

    /** The data-aware split of {@code w} for {@code gram} is refused with a message containing every one of {@code parts}. */
    private static void assertRefused(LayerGeometry geometry, Tensor w, Tensor gram, String... parts) {
        String message = assertThrows(IllegalArgumentException.class, () -> LayerSvd.decompose(geometry, w, null, gram)).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + part + "\" missing from: " + message);
        }
    }

    @Test
    void useAfterCloseFailsClearly() {
        Random random = new Random(310);
        try (Tensor w = Tensor.ofDoubles(Shape.of(3, 4), random.doubles(12).toArray()); Tensor g = randomGram(4, 10, random)) {
            LayerSvd svd = LayerSvd.decompose(new LinearGeometry(4, 3, false), w, null, g);
            svd.close();
            svd.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> svd.factors(1));
            assertThrows(IllegalStateException.class, svd::profile);
            assertThrows(IllegalStateException.class, () -> svd.relativeError(1));
            assertThrows(IllegalStateException.class, () -> svd.relativeOutputError(1));
            assertThrows(IllegalStateException.class, svd::relativeGramShift);
            assertThrows(IllegalStateException.class, () -> svd.singularValues(0));
            assertTrue(svd.toString().contains("closed"), svd.toString());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static double[] identity(int n) {
        double[] identity = new double[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
        }
        return identity;
    }

    /** {@code Bᵀ·B}, row-major. */
    private static double[] gramOfColumns(Tensor b) {
        try (Tensor product = Gemm.multiplyTransposeA(b, b)) {
            return product.toDoubleArray();
        }
    }
}
