package dev.wsvd.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/**
 * The cost model and rank rules against the reference's formulas and published examples
 * (the numbers in the spec's "Cost model" section), computed here by hand from the weight shapes.
 */
class LayerCostTest {

    private static final ConvGeometry RESNET_3X3 = ConvGeometry.builder(64, 64, 3, 3).padding(1, 1)
            .inputSpatial(56, 56).build();
    private static final LinearGeometry RESNET_FC = new LinearGeometry(512, 1000, true);
    private static final ConvGeometry MNIST_CONV2 = ConvGeometry.builder(32, 64, 5, 5).inputSpatial(28, 28).build();

    @Test
    void resnet3x3AtHalfTheMacsIsRank28() {
        LayerCost cost = LayerCost.of(RESNET_3X3);
        assertEquals(28, cost.rankForRatio(0.5, CostUnit.MAC)); // floor(64*64*9*0.5 / 640)
        assertEquals(28, cost.rankForRatio(0.5, CostUnit.MEMORY)); // stride 1: the metrics agree
    }

    @Test
    void resnetFcAtFortyPercentIsRank135() {
        LayerCost cost = LayerCost.of(RESNET_FC);
        assertEquals(135, cost.rankForRatio(0.4, CostUnit.MAC)); // floor(512*1000*0.4 / 1512)
        assertEquals(135, cost.rankForRatio(0.4, CostUnit.MEMORY));
    }

    @Test
    void mnistConv2AtHalfIsRank15RoundedTo16() {
        LayerCost cost = LayerCost.of(MNIST_CONV2);
        assertEquals(15, cost.rankForRatio(0.5, CostUnit.MAC)); // floor(32*64*25*0.5 / 1632)
        assertEquals(16, cost.roundRank(15, 8, CostUnit.MAC));

        RankChoice choice = cost.choose(0.5, CostUnit.MAC, 8);
        assertEquals(15, choice.unroundedRank());
        assertEquals(16, choice.rank());
        long outputPositions = 24 * 24; // 28 - 5 + 1, no padding
        assertEquals(32L * 64 * 25 * outputPositions, choice.originalCost());
        assertEquals(16L * (32 + 64 * 25) * outputPositions, choice.compressedCost());
        assertEquals(16.0 * 1632 / 51200, choice.roundedRatio(), 0.0); // 0.51
        assertTrue(choice.worthSplitting());
    }

    @Test
    void roundingThatDoesNotMoveTheRankKeepsTheRequestedRatio() {
        RankChoice choice = LayerCost.of(MNIST_CONV2).choose(0.5, CostUnit.MAC, 1);
        assertEquals(15, choice.rank());
        assertEquals(0.5, choice.roundedRatio(), 0.0);
        assertEquals(15.0 * 1632 / 51200, choice.achievedRatio(), 1e-15);
    }

    @Test
    void originalCostIsTheWeightShapeTimesTheOutputPositions() {
        LayerCost conv = LayerCost.of(RESNET_3X3);
        assertEquals(64 * 64 * 9, conv.originalParams());
        assertEquals(64L * 64 * 9 * 56 * 56, conv.originalMacs());
        LayerCost fc = LayerCost.of(RESNET_FC);
        assertEquals(512_000, fc.originalParams());
        assertEquals(512_000, fc.originalMacs());
    }

    /**
     * A MatMul over a sequence runs once per row: its MACs per sample count every row, its parameters do not,
     * and a ratio maps to the rank it maps to for one row, which is how the reference counts a Linear layer
     * (at 0.57 of a 200 -> 200 layer, 40000 * 0.57 falls just below 22800: rank 56, not 57).
     */
    @Test
    void linearMacsPerSampleCountEveryRowWhileRanksFollowTheOneRowCount() {
        LayerCost oneRow = LayerCost.of(new LinearGeometry(200, 200, false));
        LayerCost sequence = LayerCost.of(new LinearGeometry(200, 200, false, 128));
        assertEquals(40_000L * 128, sequence.originalMacs());
        assertEquals(40_000, sequence.originalParams());
        assertEquals(57L * 400 * 128, sequence.macs(57));
        assertEquals(57L * 400, sequence.params(57));
        assertEquals(56, sequence.rankForRatio(0.57, CostUnit.MAC));
        for (int hundredths = 0; hundredths <= 100; hundredths++) {
            double ratio = hundredths / 100.0;
            BigDecimal decimal = BigDecimal.valueOf(hundredths, 2);
            assertEquals(oneRow.rankForRatio(ratio, CostUnit.MAC), sequence.rankForRatio(ratio, CostUnit.MAC), "ratio " + ratio);
            assertEquals(oneRow.rankForRatio(decimal, CostUnit.MAC), sequence.rankForRatio(decimal, CostUnit.MAC), "ratio " + decimal);
            assertEquals(oneRow.roundedRatio(decimal, CostUnit.MAC, 8), sequence.roundedRatio(decimal, CostUnit.MAC, 8));
        }
        assertEquals(oneRow.breakEvenRank(CostUnit.MAC), sequence.breakEvenRank(CostUnit.MAC));
        RankChoice choice = sequence.choose(0.3, CostUnit.MAC, 8);
        assertEquals(40_000L * 128, choice.originalCost());
        assertEquals(choice.rank() * 400L * 128, choice.compressedCost());
        assertEquals(oneRow.choose(0.3, CostUnit.MAC, 8).roundedRatio(), choice.roundedRatio(), 0.0);
    }

    @Test
    void pairCostCountsTheFirstFactorAtTheInputResolution() {
        // ResNet-18 layer2.0.conv1: 64 -> 128, 3x3, stride 2, padding 1, 56x56 -> 28x28
        ConvGeometry strided = ConvGeometry.builder(64, 128, 3, 3).stride(2, 2).padding(1, 1).inputSpatial(56, 56).build();
        LayerCost cost = LayerCost.of(strided);
        int rank = 20;
        long firstParams = (long) rank * 64;       // (r, Cin, 1, 1)
        long secondParams = 128L * rank * 9;       // (Cout, r, 3, 3)
        assertEquals(firstParams + secondParams, cost.params(rank));
        assertEquals(firstParams * 4 * 28 * 28 + secondParams * 28 * 28, cost.macs(rank)); // s = 2*2
        assertEquals(cost.macs(rank), cost.atRank(rank, CostUnit.MAC));
        assertEquals(cost.params(rank), cost.atRank(rank, CostUnit.MEMORY));
    }

    @Test
    void conv1dUsesItsOneKernelAxisAndStride() {
        ConvGeometry conv1d = ConvGeometry.builder(16, 24, 5).stride(2).padding(2).inputSpatial(200).build();
        assertEquals(100, conv1d.outputSpatial()[0]);
        LayerCost cost = LayerCost.of(conv1d);
        assertEquals(24L * 16 * 5 * 100, cost.originalMacs());
        assertEquals(7L * (16 * 2 + 24 * 5) * 100, cost.macs(7));
        assertEquals(16, cost.maxRank());
    }

    @Test
    void groupedPairCostIsTheSumOfItsTwoGroupedConvolutions() {
        ConvGeometry grouped = ConvGeometry.builder(32, 64, 3, 3).groups(4).padding(1, 1).inputSpatial(10, 10).build();
        LayerCost cost = LayerCost.of(grouped);
        assertEquals(4, cost.rankStep());
        assertEquals(32, cost.maxRank()); // 4 groups x min(8, 16*9)
        int rank = 8;
        long first = (long) rank * (32 / 4);       // (r, Cin/g, 1, 1)
        long second = 64L * (rank / 4) * 9;        // (Cout, r/g, 3, 3)
        assertEquals(first + second, cost.params(rank));
        assertEquals((first + second) * 100, cost.macs(rank));
        assertEquals(64L * 8 * 9, cost.originalParams());
        // ratio -> rank lands on a multiple of the group count
        int fromRatio = cost.rankForRatio(0.3, CostUnit.MEMORY);
        assertEquals(0, fromRatio % 4);
        assertTrue(cost.params(fromRatio) <= 0.3 * cost.originalParams());
        assertTrue(fromRatio + 4 > cost.maxRank() || cost.params(fromRatio + 4) > 0.3 * cost.originalParams());
        // rounding goes to a multiple of both the multiplicity and the group count
        assertEquals(12, cost.roundRank(4, 3, CostUnit.MEMORY));
        assertThrows(IllegalArgumentException.class, () -> cost.params(6));
    }

    @Test
    void ratioToRankMatchesTheReferenceLoopForEveryRatioInHundredths() {
        LayerCost[] layers = {LayerCost.of(RESNET_3X3), LayerCost.of(RESNET_FC), LayerCost.of(MNIST_CONV2),
                LayerCost.of(ConvGeometry.builder(64, 128, 3, 3).stride(2, 2).padding(1, 1).inputSpatial(56, 56).build()),
                LayerCost.of(ConvGeometry.builder(256, 64, 1, 1).inputSpatial(14, 14).build()),
                LayerCost.of(new LinearGeometry(384, 1536, false))};
        for (LayerCost layer : layers) {
            LayerGeometry g = layer.geometry();
            for (CostUnit metric : CostUnit.values()) {
                for (int hundredths = 0; hundredths <= 100; hundredths++) {
                    double ratio = hundredths / 100.0;
                    assertEquals(referenceRank(g, ratio, metric), layer.rankForRatio(ratio, metric),
                            g + " at " + ratio + " " + metric);
                }
            }
        }
    }

    /** The reference's loop, written from its description: count down from Cin while cost > ratio * original. */
    private static int referenceRank(LayerGeometry geometry, double ratio, CostUnit metric) {
        long m = geometry.inChannels();
        long n = geometry.outChannels();
        long k = 1;
        long s = 1;
        long positions = 1;
        if (geometry instanceof ConvGeometry conv) {
            k = (long) conv.kernel()[0] * conv.kernel()[1];
            s = (long) conv.stride()[0] * conv.stride()[1];
            positions = conv.outputSpatial()[0] * conv.outputSpatial()[1];
        }
        double target = (metric == CostUnit.MAC ? m * n * k * positions : m * n * k) * ratio;
        long rank = m;
        while (rank > 0) {
            long cost = metric == CostUnit.MAC ? rank * (m * s + n * k) * positions : rank * (m + n * k);
            if (cost <= target) {
                break;
            }
            rank--;
        }
        return (int) Math.max(rank, 1);
    }

    @Test
    void roundingIsCappedAtTheRankForRatioOne() {
        LayerCost fc = LayerCost.of(RESNET_FC);
        assertEquals(338, fc.rankForRatio(1.0, CostUnit.MEMORY)); // floor(512000 / 1512)
        assertEquals(335, fc.rankForRatio(0.99, CostUnit.MEMORY));
        assertEquals(336, fc.roundRank(335, 8, CostUnit.MEMORY));
        assertEquals(338, fc.roundRank(335, 32, CostUnit.MEMORY)); // 352 would exceed the cap
        assertEquals(135, fc.roundRank(135, 1, CostUnit.MEMORY));
    }

    @Test
    void multiplicityBelowOneIsRejected() {
        LayerCost fc = LayerCost.of(RESNET_FC);
        assertThrows(IllegalArgumentException.class, () -> fc.roundRank(10, 0, CostUnit.MAC));
        assertThrows(IllegalArgumentException.class, () -> fc.choose(0.5, CostUnit.MAC, -3));
    }

    @Test
    void ratiosOutsideZeroToOneAreRejected() {
        LayerCost fc = LayerCost.of(RESNET_FC);
        assertThrows(IllegalArgumentException.class, () -> fc.rankForRatio(1.01, CostUnit.MAC));
        assertThrows(IllegalArgumentException.class, () -> fc.rankForRatio(-0.1, CostUnit.MAC));
        assertThrows(IllegalArgumentException.class, () -> fc.rankForRatio(Double.NaN, CostUnit.MAC));
        assertEquals(1, fc.rankForRatio(0.0, CostUnit.MAC)); // clamped up to the smallest rank
    }

    @Test
    void ranksAtOrAboveBreakEvenAreRefusedWithAReason() {
        LayerCost fc = LayerCost.of(RESNET_FC);
        assertEquals(339, fc.breakEvenRank(CostUnit.MEMORY)); // 338*1512 < 512000 <= 339*1512
        assertTrue(fc.refusalAt(338, CostUnit.MEMORY).isEmpty());
        SplitRefusal refusal = fc.refusalAt(339, CostUnit.MEMORY).orElseThrow();
        assertEquals(SplitRefusal.Kind.NO_SAVING, refusal.kind());
        String reason = refusal.reason();
        assertTrue(reason.contains("339") && reason.contains("512000"), reason);
        assertTrue(fc.refusal(CostUnit.MEMORY).isEmpty());

        // equal cost is refused too: Linear 4 -> 4 at rank 2 costs 2*(4+4) = 16 = 4*4
        LayerCost square = LayerCost.of(new LinearGeometry(4, 4, false));
        assertEquals(2, square.breakEvenRank(CostUnit.MEMORY));
        RankChoice atOne = square.choose(1.0, CostUnit.MEMORY, 1);
        assertEquals(2, atOne.rank());
        assertFalse(atOne.worthSplitting());
        assertThrows(SplitRefusedException.class, atOne::requireWorthSplitting);
        assertEquals(1, square.choose(0.5, CostUnit.MEMORY, 1).requireWorthSplitting());
    }

    @Test
    void strideMakesTheMacBreakEvenLowerThanTheMemoryOne() {
        ConvGeometry strided = ConvGeometry.builder(64, 64, 3, 3).stride(2, 2).padding(1, 1).inputSpatial(56, 56).build();
        LayerCost cost = LayerCost.of(strided);
        assertEquals(Math.ceilDiv(64 * 64 * 9, 64 + 64 * 9), cost.breakEvenRank(CostUnit.MEMORY)); // 58
        assertEquals(Math.ceilDiv(64 * 64 * 9, 64 * 4 + 64 * 9), cost.breakEvenRank(CostUnit.MAC)); // 45
        assertTrue(cost.refusalAt(50, CostUnit.MEMORY).isEmpty());
        assertTrue(cost.refusalAt(50, CostUnit.MAC).isPresent());
    }

    @Test
    void layersNoRankMakesCheaperAreRefusedOutright() {
        LayerCost tiny = LayerCost.of(new LinearGeometry(1, 1000, true)); // rank 1 costs 1 + 1000 > 1000
        assertTrue(tiny.refusal(CostUnit.MEMORY).orElseThrow().reason().contains("not worth splitting"));
        assertEquals(SplitRefusal.Kind.NO_SAVING, tiny.refusal(CostUnit.MEMORY).orElseThrow().kind());
        assertFalse(tiny.choose(0.5, CostUnit.MEMORY, 1).worthSplitting());

        // ResNet stem 3 -> 64, 7x7, stride 2: ranks 1 and 2 still lower the MACs
        ConvGeometry stem = ConvGeometry.builder(3, 64, 7, 7).stride(2, 2).padding(3, 3).inputSpatial(224, 224).build();
        LayerCost stemCost = LayerCost.of(stem);
        assertEquals(3, stemCost.maxRank());
        assertEquals(3, stemCost.breakEvenRank(CostUnit.MAC)); // ceil(9408 / (3*4 + 64*49))
        assertTrue(stemCost.refusal(CostUnit.MAC).isEmpty());
    }

    @Test
    void depthwiseConvolutionsAreNeverSplit() {
        ConvGeometry depthwise = ConvGeometry.builder(32, 32, 3, 3).groups(32).padding(1, 1).inputSpatial(16, 16).build();
        LayerCost cost = LayerCost.of(depthwise);
        SplitRefusal refusal = cost.refusal(CostUnit.MAC).orElseThrow();
        assertEquals(SplitRefusal.Kind.DEPTHWISE_CONV, refusal.kind());
        assertTrue(refusal.reason().contains("depthwise"), refusal.reason());
        assertFalse(cost.choose(0.5, CostUnit.MEMORY, 1).worthSplitting());
    }

    @Test
    void linearRankIsBoundedByTheSmallerSide() {
        LayerCost classifier = LayerCost.of(new LinearGeometry(512, 10, true));
        assertEquals(10, classifier.maxRank());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> classifier.params(11));
        assertTrue(error.getMessage().contains("1..10"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classifier.params(0));
    }

    @Test
    void macsNeedTheOutputSizeMemoryDoesNot() {
        LayerCost unknown = LayerCost.of(ConvGeometry.builder(16, 16, 3, 3).build());
        assertFalse(unknown.knowsMacs());
        assertEquals(16 * 16 * 9, unknown.originalParams());
        assertEquals(5, unknown.rankForRatio(0.4, CostUnit.MEMORY)); // floor(2304*0.4 / 160)
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> unknown.rankForRatio(0.4, CostUnit.MAC));
        assertTrue(error.getMessage().contains("output size"), error.getMessage());
    }

    @Test
    void outputSizeFollowsTheConvolutionArithmetic() {
        assertEquals(24, MNIST_CONV2.outputSpatial()[0]);
        ConvGeometry dilated = ConvGeometry.builder(4, 4, 3, 2).dilation(2, 3).padding(0, 1, 0, 2).stride(1, 2).build();
        long[] out = dilated.outputFor(10, 11);
        assertEquals(10 - 2 * 2, out[0]);                   // span 5, no padding
        assertEquals((11 + 3 - 4) / 2 + 1, out[1]);         // span 4, pads 1 + 2, stride 2
        assertThrows(IllegalArgumentException.class, () -> dilated.outputFor(4, 11));
    }

    @Test
    void decimalRatiosAreExactWhereBinaryFloatingPointFallsOneRankShort() {
        // Linear 200 -> 200, memory: 0.57 * 40000 = 22800 = 57 * 400 exactly, but 40000 * 0.57 is 22799.999999999996
        LayerCost square = LayerCost.of(new LinearGeometry(200, 200, false));
        assertEquals(56, square.rankForRatio(0.57, CostUnit.MEMORY));                    // the reference's manual mode (float)
        assertEquals(57, square.rankForRatio(new BigDecimal("0.57"), CostUnit.MEMORY));  // its greedy mode (Decimal)
        assertEquals(57L * 400, square.compressedCost(new BigDecimal("0.57"), CostUnit.MEMORY));
    }

    @Test
    void decimalRatioToRankAgreesWithTheDoubleOneAwayFromBoundaries() {
        LayerCost[] layers = {LayerCost.of(RESNET_3X3), LayerCost.of(RESNET_FC), LayerCost.of(MNIST_CONV2)};
        for (LayerCost layer : layers) {
            assertEquals(layer.rankForRatio(0.5, CostUnit.MAC), layer.rankForRatio(new BigDecimal("0.5"), CostUnit.MAC));
            assertEquals(layer.rankForRatio(0.4, CostUnit.MAC), layer.rankForRatio(new BigDecimal("0.4"), CostUnit.MAC));
            assertEquals(1, layer.rankForRatio(BigDecimal.ZERO, CostUnit.MAC));
        }
        assertThrows(IllegalArgumentException.class, () -> layers[0].rankForRatio(new BigDecimal("1.1"), CostUnit.MAC));
    }

    @Test
    void decimalRoundedRatioFollowsTheReferenceRounder() {
        LayerCost mnist = LayerCost.of(MNIST_CONV2);
        BigDecimal half = new BigDecimal("0.5");
        assertEquals(new BigDecimal("0.51"), mnist.roundedRatio(half, CostUnit.MAC, 8));  // rank 15 -> 16: 26112 / 51200
        assertEquals(half, mnist.roundedRatio(half, CostUnit.MAC, 1));                    // identity at multiplicity 1
        assertEquals(half, mnist.roundedRatio(half, CostUnit.MAC, 5));                    // 15 is a multiple of 5
        // a quotient that does not terminate is rounded to 28 significant digits: ResNet 3x3, rank 17 -> 24, 24*640/36864
        assertEquals(new BigDecimal("0.4166666666666666666666666667"),
                LayerCost.of(RESNET_3X3).roundedRatio(new BigDecimal("0.3"), CostUnit.MAC, 8));
        // ... upwards, unlike the reference's half-even, so that it maps back to the rounded rank:
        // rank 34 -> 40, 40*640/36864 = 0.69444...4 (half-even would give ...4444 and map back to rank 39)
        LayerCost resnet = LayerCost.of(RESNET_3X3);
        BigDecimal rounded = resnet.roundedRatio(new BigDecimal("0.6"), CostUnit.MAC, 8);
        assertEquals(new BigDecimal("0.6944444444444444444444444445"), rounded);
        assertEquals(40, resnet.rankForRatio(rounded, CostUnit.MAC));
        assertEquals(39, resnet.rankForRatio(new BigDecimal("0.6944444444444444444444444444"), CostUnit.MAC));
        LayerCost fc = LayerCost.of(RESNET_FC);
        assertEquals(new BigDecimal("0.04725"), fc.roundedRatio(new BigDecimal("0.03"), CostUnit.MAC, 16)); // rank 10 -> 16
        assertEquals(new BigDecimal("0.1063125"), fc.roundedRatio(new BigDecimal("0.1"), CostUnit.MAC, 12)); // 33 -> 36
        assertThrows(IllegalArgumentException.class, () -> fc.roundedRatio(half, CostUnit.MAC, 0));
    }
}
