package dev.wsvd.compress;

import dev.wsvd.compress.selection.CandidateRatios;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's ratio/rank arithmetic with hand-computed cases (spec "Cost model"): MAC cost of the pair at
 * rank r is {@code r (m s + n k) P}, original {@code m n k P}.
 */
class GreedyLayerTest {

    /** A Conv2d Cin=m -> Cout=n with a k-element kernel, stride factor s, P output positions, MAC metric. */
    private static DecimalRanks convMacs(long m, long n, long k, long s, long positions) {
        return new DecimalRanks(m * n * k * positions, (m * s + n * k) * positions, 1, (int) Math.min(m, n * k));
    }

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    @Test
    void ranksOfTheSpecExamples() {
        // ResNet-18 64->64 3x3 at 0.5: floor(64*64*9*0.5 / (64 + 64*9)) = floor(18432 / 640) = 28
        assertEquals(28, convMacs(64, 64, 9, 1, 56 * 56).rankFor(d("0.5")));
        // fc 512->1000 at 0.4: floor(512*1000*0.4 / 1512) = floor(204800 / 1512) = 135
        assertEquals(135, convMacs(512, 1000, 1, 1, 1).rankFor(d("0.4")));
        // MNIST conv2 32->64 5x5 at 0.5: floor(32*64*25*0.5 / (32 + 64*25)) = floor(25600 / 1632) = 15
        DecimalRanks conv2 = convMacs(32, 64, 25, 1, 7 * 7);
        assertEquals(15, conv2.rankFor(d("0.5")));
        assertEquals(16, conv2.roundUp(15, 8));
    }

    @Test
    void anExactBoundaryKeepsTheRankWhoseCostEqualsTheTarget() {
        // original 100, 10 per rank: ratio 0.3 targets exactly 30 = cost(3)
        DecimalRanks ranks = new DecimalRanks(100, 10, 1, 10);
        assertEquals(3, ranks.rankFor(d("0.3")));
        // 1/3 in 28 digits is a hair below a third: 100 * 0.333... = 33.33..., floor(3.33) = 3
        assertEquals(3, ranks.rankFor(CandidateRatios.of(3).get(0)));
    }

    @Test
    void ranksAreClampedToOneAndToTheRankForRatioOne() {
        DecimalRanks ranks = convMacs(64, 64, 9, 1, 1);
        assertEquals(1, ranks.rankFor(d("0.001")));
        // ratio 1: floor(36864 / 640) = 57, the break-even rank, below Cin = 64
        assertEquals(57, ranks.rankFor(BigDecimal.ONE));
        assertEquals(57, ranks.roundUp(57, 8), "rounding never goes past the rank for ratio 1");
        assertEquals(56, ranks.roundUp(50, 8));
    }

    @Test
    void groupedRanksAreMultiplesOfTheGroupCount() {
        // 4 groups, 10 per group step of rank 4: original 400, ratio 0.5 -> 200 / 40 = 5 steps -> rank 20
        DecimalRanks grouped = new DecimalRanks(400, 40, 4, 32);
        assertEquals(20, grouped.rankFor(d("0.5")));
        assertEquals(24, grouped.roundUp(20, 8), "lcm(8, 4) = 8");
        assertEquals(24, grouped.roundUp(20, 6), "lcm(6, 4) = 12 -> 24");
    }

    @Test
    void roundedRanksSurviveTheReferencesRoundTripThroughADecimalRatio() {
        // 64->64 3x3 at 56x56, MAC, ratio 0.66, multiplicity 8: rank floor(0.66*36864/640) = 38, rounded to 40.
        DecimalRanks ranks = convMacs(64, 64, 9, 1, 56 * 56);
        GreedyLayer layer = new GreedyLayer("conv", ranks, 8);
        assertEquals(38, layer.candidateRank(d("0.66")));
        BigDecimal rounded = layer.roundedRatio(d("0.66"));
        // cost(40) / original = 40*640 / 36864 = 25/36 = 0.69444...; 28 digits round it down
        assertEquals(d("0.6944444444444444444444444444"), rounded);
        assertEquals(39, ranks.rankFor(rounded), "the reference would split at 39 here");
        assertEquals(40, layer.rankAt(rounded), "the adapter keeps the rounded rank");
        assertEquals(ranks.cost(40), layer.compressedCost(rounded));
        assertEquals(40L * 640 * 56 * 56, layer.compressedCost(rounded));
    }

    @Test
    void aRankThatRoundingDoesNotMoveKeepsItsRatioKey() {
        DecimalRanks ranks = convMacs(32, 64, 25, 1, 49);
        GreedyLayer layer = new GreedyLayer("conv2", ranks, 8);
        BigDecimal ratio = d("0.52"); // floor(0.52 * 51200 / 1632) = floor(16.3) = 16, already a multiple of 8
        assertSame(ratio, layer.roundedRatio(ratio));
        assertEquals(16, layer.rankAt(ratio));
    }

    @Test
    void multiplicityOneIsTheIdentity() {
        GreedyLayer layer = new GreedyLayer("fc", convMacs(512, 1000, 1, 1, 1), 1);
        for (BigDecimal ratio : CandidateRatios.of(10)) {
            assertSame(ratio, layer.roundedRatio(ratio));
            assertEquals(layer.candidateRank(ratio), layer.rankAt(ratio));
        }
    }

    @Test
    void everyRoundedRatioLiesBetweenTheRatioAndOneAndMapsToAMultiple() {
        DecimalRanks ranks = convMacs(64, 128, 9, 2, 28 * 28);
        GreedyLayer layer = new GreedyLayer("conv", ranks, 8);
        int cap = ranks.rankFor(BigDecimal.ONE);
        for (BigDecimal ratio : CandidateRatios.of(10)) {
            BigDecimal rounded = layer.roundedRatio(ratio);
            assertTrue(rounded.compareTo(ratio) >= 0 && rounded.compareTo(BigDecimal.ONE) <= 0, ratio + " -> " + rounded);
            int rank = layer.rankAt(rounded);
            assertTrue(rank % 8 == 0 || rank == cap, "rank " + rank + " for " + ratio);
            assertTrue(rank >= layer.candidateRank(ratio));
        }
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DecimalRanks(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DecimalRanks(10, 1, 4, 6));
        DecimalRanks ranks = new DecimalRanks(100, 10, 1, 10);
        assertThrows(IllegalArgumentException.class, () -> ranks.rankFor(d("1.01")));
        assertThrows(IllegalArgumentException.class, () -> ranks.roundUp(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new GreedyLayer("x", ranks, 0));
    }
}
