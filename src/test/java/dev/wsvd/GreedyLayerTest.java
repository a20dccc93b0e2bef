package dev.wsvd;

import dev.wsvd.selection.CandidateRatios;
import dev.wsvd.layer.ConvGeometry;
import dev.wsvd.CostMetric;
import dev.wsvd.layer.LayerCost;
import dev.wsvd.layer.LinearGeometry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The greedy adapter against hand-computed cases (spec "Cost model"): the MAC cost of the pair at rank r is
 * {@code r (m s + n k) P}, the original's {@code m n k P}.
 */
class GreedyLayerTest {

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    /** A 2-D convolution Cin -> Cout with a square kernel, stride 1, and the given output size. */
    private static LayerCost conv(int in, int out, int kernel, int outputSize) {
        return LayerCost.of(ConvGeometry.builder(in, out, kernel, kernel).outputSpatial(outputSize, outputSize).build());
    }

    @Test
    void ranksOfTheSpecExamples() {
        // ResNet-18 64->64 3x3 at 0.5: floor(64*64*9*0.5 / (64 + 64*9)) = floor(18432 / 640) = 28
        assertEquals(28, new GreedyLayer("c", conv(64, 64, 3, 56), CostMetric.MAC, 1).rankAt(d("0.5")));
        // fc 512->1000 at 0.4: floor(512*1000*0.4 / 1512) = floor(204800 / 1512) = 135
        GreedyLayer fc = new GreedyLayer("fc", LayerCost.of(new LinearGeometry(512, 1000, true)), CostMetric.MAC, 1);
        assertEquals(135, fc.rankAt(d("0.4")));
        // MNIST conv2 32->64 5x5 at 0.5: floor(32*64*25*0.5 / (32 + 64*25)) = floor(25600 / 1632) = 15, rounded to 16
        GreedyLayer conv2 = new GreedyLayer("conv2", conv(32, 64, 5, 7), CostMetric.MAC, 8);
        assertEquals(15, conv2.rankAt(d("0.5")));
        assertEquals(16, conv2.rankAt(conv2.roundedRatio(d("0.5"))));
    }

    @Test
    void costsArePerSampleAndScaleWithTheRowsOfAMatMul() {
        LayerCost linear = LayerCost.of(new LinearGeometry(384, 1536, false, 128));
        GreedyLayer macs = new GreedyLayer("ffn", linear, CostMetric.MAC, 1);
        GreedyLayer memory = new GreedyLayer("ffn", linear, CostMetric.MEMORY, 1);
        assertEquals(384L * 1536 * 128, macs.originalCost());
        assertEquals(384L * 1536, memory.originalCost(), "memory does not depend on the rows");
        // ratio 0.5: floor(384*1536*0.5 / (384 + 1536)) = floor(294912 / 1920) = 153, whatever the rows
        assertEquals(153, macs.rankAt(d("0.5")));
        assertEquals(153L * 1920 * 128, macs.compressedCost(d("0.5")));
        assertEquals(153L * 1920, memory.compressedCost(d("0.5")));
    }

    @Test
    void theRankRoundingProducedIsTheRankSplitAndCounted() {
        // 64->64 3x3 at 56x56, MAC, ratio 0.66, multiplicity 8: rank floor(0.66*36864/640) = 38, rounded to 40.
        // The reference's ratio for 40, 40*640/36864 = 25/36 = 0.69444..., rounded half-even to 28 digits maps
        // back to 39; the adapter's ratio must map back to 40.
        GreedyLayer layer = new GreedyLayer("conv", conv(64, 64, 3, 56), CostMetric.MAC, 8);
        assertEquals(38, layer.rankAt(d("0.66")));
        BigDecimal rounded = layer.roundedRatio(d("0.66"));
        BigDecimal referenceDigits = d("0.6944444444444444444444444444");
        assertEquals(0, rounded.subtract(referenceDigits).abs().compareTo(d("1e-28")), "differs only in the 28th digit: " + rounded);
        assertEquals(40, layer.rankAt(rounded));
        assertEquals(40L * 640 * 56 * 56, layer.compressedCost(rounded));
    }

    @Test
    void aRankThatRoundingDoesNotMoveKeepsItsRatioKey() {
        GreedyLayer layer = new GreedyLayer("conv2", conv(32, 64, 5, 7), CostMetric.MAC, 8);
        BigDecimal ratio = d("0.52"); // floor(0.52 * 51200 / 1632) = floor(16.3) = 16, already a multiple of 8
        assertSame(ratio, layer.roundedRatio(ratio));
        assertEquals(16, layer.rankAt(ratio));
    }

    @Test
    void multiplicityOneIsTheIdentity() {
        GreedyLayer layer = new GreedyLayer("fc", LayerCost.of(new LinearGeometry(512, 1000, true)), CostMetric.MAC, 1);
        for (BigDecimal ratio : CandidateRatios.of(10)) {
            assertSame(ratio, layer.roundedRatio(ratio));
        }
    }

    @Test
    void everyRoundedRatioMapsToAMultipleOfTheMultiplicity() {
        LayerCost cost = LayerCost.of(ConvGeometry.builder(64, 128, 3, 3).stride(2, 2).outputSpatial(28, 28).build());
        GreedyLayer layer = new GreedyLayer("conv", cost, CostMetric.MAC, 8);
        // the rank for ratio 1: floor(64*128*9 / (64*4 + 128*9)) = floor(73728 / 1408) = 52
        int cap = 52;
        assertEquals(cap, layer.rankAt(BigDecimal.ONE));
        for (BigDecimal ratio : CandidateRatios.of(10)) {
            BigDecimal rounded = layer.roundedRatio(ratio);
            assertTrue(rounded.compareTo(ratio) >= 0 && rounded.compareTo(BigDecimal.ONE) <= 0, ratio + " -> " + rounded);
            int rank = layer.rankAt(rounded);
            assertTrue(rank % 8 == 0 || rank == cap, "rank " + rank + " for " + ratio);
            assertTrue(rank >= layer.rankAt(ratio));
        }
    }

    @Test
    void invalidArgumentsAreRefused() {
        LayerCost cost = LayerCost.of(new LinearGeometry(4, 4, false));
        assertThrows(IllegalArgumentException.class, () -> new GreedyLayer("x", cost, CostMetric.MAC, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearGeometry(4, 4, false, 0)); // no rows
    }
}
