package dev.wsvd.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.selection.CandidateRatios;
import dev.wsvd.selection.SelectableLayer;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/**
 * Greedy selection's view of a layer is a few lines over {@link LayerCost}; this adapter is the one the
 * pipeline can copy, and the test holds it to {@link SelectableLayer}'s contract over the reference's
 * candidate ratios.
 */
class SelectableLayerAdapterTest {

    /** The adapter: name, metric and multiplicity fixed per run. */
    record CostModelLayer(String name, LayerCost cost, CostUnit metric, int multiplicity) implements SelectableLayer {
        @Override
        public long originalCost() {
            return cost.original(metric);
        }

        @Override
        public long compressedCost(BigDecimal ratio) {
            return cost.compressedCost(ratio, metric);
        }

        @Override
        public BigDecimal roundedRatio(BigDecimal ratio) {
            return cost.roundedRatio(ratio, metric, multiplicity);
        }
    }

    private static final ConvGeometry MNIST_CONV2 = ConvGeometry.builder(32, 64, 5, 5).inputSpatial(28, 28).build();
    private static final ConvGeometry RESNET_3X3 = ConvGeometry.builder(64, 64, 3, 3).padding(1, 1).inputSpatial(56, 56).build();

    @Test
    void mnistConv2AtHalfWithMultiplicityEight() {
        SelectableLayer layer = new CostModelLayer("conv2", LayerCost.of(MNIST_CONV2), CostUnit.MAC, 8);
        BigDecimal rounded = layer.roundedRatio(new BigDecimal("0.5"));
        assertEquals(new BigDecimal("0.51"), rounded);
        assertEquals(16L * (32 + 64 * 25) * 24 * 24, layer.compressedCost(rounded)); // rank 16
        assertEquals(32L * 64 * 25 * 24 * 24, layer.originalCost());
    }

    @Test
    void roundedRatiosStayBetweenTheRatioAndOneAndMapBackToTheRoundedRank() {
        for (ConvGeometry geometry : new ConvGeometry[] {MNIST_CONV2, RESNET_3X3}) {
            LayerCost cost = LayerCost.of(geometry);
            for (int multiplicity : new int[] {1, 4, 8, 16}) {
                SelectableLayer layer = new CostModelLayer("layer", cost, CostUnit.MAC, multiplicity);
                for (BigDecimal ratio : CandidateRatios.of(10)) {
                    BigDecimal rounded = layer.roundedRatio(ratio);
                    assertTrue(ratio.compareTo(rounded) <= 0 && rounded.compareTo(BigDecimal.ONE) <= 0,
                            geometry + " M=" + multiplicity + ": " + ratio + " -> " + rounded);
                    int expectedRank = cost.roundRank(cost.rankForRatio(ratio, CostUnit.MAC), multiplicity, CostUnit.MAC);
                    assertEquals(cost.atRank(expectedRank, CostUnit.MAC), layer.compressedCost(rounded),
                            geometry + " M=" + multiplicity + " at " + ratio);
                }
            }
        }
    }
}
