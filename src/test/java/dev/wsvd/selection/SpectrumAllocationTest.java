package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allocation against the budget arithmetic done here independently (exact long sums over the layers'
 * costs) and against a brute-force optimum on instances small enough to enumerate.
 */
class SpectrumAllocationTest {

    /**
     * A Linear-like layer {@code m x n}: rank r costs {@code r·(m + n)}, unsplit {@code m·n}; allowed ranks are the
     * multiples of {@code multiplicity} that cost less than the layer; errors are a weight times the relative
     * squared tail of a random descending spectrum (as the spectrum selection predicts them).
     */
    private static SpectrumAllocation.Layer layer(String name, int m, int n, int multiplicity, Random random) {
        int maxRank = Math.min(m, n);
        double[] spectrum = new double[maxRank];
        double value = 1;
        for (int i = 0; i < maxRank; i++) {
            value *= 0.9 + 0.1 * random.nextDouble();
            spectrum[i] = value;
        }
        double[] tail = new double[maxRank + 1];
        for (int i = maxRank - 1; i >= 0; i--) {
            tail[i] = tail[i + 1] + spectrum[i] * spectrum[i];
        }
        double weight = 0.01 + random.nextDouble();
        List<int[]> kept = new ArrayList<>();
        for (int r = multiplicity; r <= maxRank; r += multiplicity) {
            if ((long) r * (m + n) < (long) m * n) {
                kept.add(new int[] {r});
            }
        }
        int[] ranks = new int[kept.size()];
        long[] costs = new long[kept.size()];
        double[] errors = new double[kept.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = kept.get(i)[0];
            costs[i] = (long) ranks[i] * (m + n);
            errors[i] = weight * tail[ranks[i]] / tail[0];
        }
        return new SpectrumAllocation.Layer(name, (long) m * n, ranks, costs, errors);
    }

    private static long independentCost(List<SpectrumAllocation.Layer> layers, long other, Map<String, Integer> ranks) {
        long sum = other;
        for (SpectrumAllocation.Layer layer : layers) {
            Integer rank = ranks.get(layer.name());
            if (rank == null) {
                sum += layer.originalCost();
            } else {
                int index = -1;
                for (int i = 0; i < layer.ranks().length; i++) {
                    if (layer.ranks()[i] == rank) {
                        index = i;
                    }
                }
                assertTrue(index >= 0, "rank " + rank + " of " + layer.name() + " is not one of its allowed ranks");
                sum += layer.costs()[index];
            }
        }
        return sum;
    }

    @Test
    void randomLayersReachTheTargetFromBelowWithinTheTolerance() {
        Random random = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            List<SpectrumAllocation.Layer> layers = new ArrayList<>();
            for (int l = 0; l < 20; l++) {
                layers.add(layer("L" + l, 32 + random.nextInt(224), 32 + random.nextInt(224), 1, random));
            }
            long other = random.nextInt(50_000);
            double target = 0.3 + 0.65 * random.nextDouble();
            SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, other, target);
            long original = other + layers.stream().mapToLong(SpectrumAllocation.Layer::originalCost).sum();
            long cost = independentCost(layers, other, result.ranks());
            assertEquals(cost, result.cost(), "the cost the allocation reports");
            assertEquals(original, result.originalCost());
            assertTrue(result.reachable());
            assertTrue(cost <= target * original, "trial " + trial + ": cost " + cost + " exceeds the budget " + target * original);
            assertTrue(target - (double) cost / original <= 0.001, "trial " + trial + ": ratio " + (double) cost / original
                    + " is more than 0.001 below the target " + target);
            assertTrue(result.targetMet());
            assertTrue(result.cost() >= result.lagrangianCost(), "the fill only adds cost");
        }
    }

    @Test
    void multiplicityKeepsRanksOnItsMultiplesAndStaysUnderBudget() {
        Random random = new Random(11);
        for (int trial = 0; trial < 10; trial++) {
            List<SpectrumAllocation.Layer> layers = new ArrayList<>();
            for (int l = 0; l < 30; l++) {
                layers.add(layer("L" + l, 256 + random.nextInt(768), 256 + random.nextInt(768), 8, random));
            }
            double target = 0.4 + 0.5 * random.nextDouble();
            SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, 0, target);
            result.ranks().values().forEach(rank -> assertEquals(0, rank % 8, "rank " + rank + " is not a multiple of 8"));
            long original = layers.stream().mapToLong(SpectrumAllocation.Layer::originalCost).sum();
            long cost = independentCost(layers, 0, result.ranks());
            assertTrue(cost <= target * original);
            assertTrue(target - (double) cost / original <= 0.001, "ratio " + (double) cost / original + " vs target " + target);
        }
    }

    /** A model shaped like all-MiniLM-L6-v2 (6 blocks of 4 384x384 and 2 384x1536 layers) at several targets. */
    @Test
    void aTransformerShapedModelReachesItsTargets() {
        Random random = new Random(23);
        List<SpectrumAllocation.Layer> layers = new ArrayList<>();
        for (int block = 0; block < 6; block++) {
            for (int l = 0; l < 4; l++) {
                layers.add(layer("b" + block + "." + l, 384, 384, 1, random));
            }
            layers.add(layer("b" + block + ".f1", 384, 1536, 1, random));
            layers.add(layer("b" + block + ".f2", 1536, 384, 1, random));
        }
        long original = layers.stream().mapToLong(SpectrumAllocation.Layer::originalCost).sum();
        for (double target : new double[] {0.6, 0.8, 0.9}) {
            long started = System.nanoTime();
            SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, 0, target);
            long cost = independentCost(layers, 0, result.ranks());
            assertTrue(cost <= target * original && target - (double) cost / original <= 0.001, "target " + target + ": "
                    + (double) cost / original);
            System.out.printf("transformer-shaped allocation at %.1f: %.1f ms%n", target, (System.nanoTime() - started) / 1e6);
        }
    }

    /**
     * The Fashion-MNIST CNN's costs (conv2: 31 ranks of 319,872 MACs, unsplit 10,035,200; fc1: 771 ranks of 4,160,
     * unsplit 3,211,264; fc2: 9 ranks of 1,034, unsplit 10,240; conv1 627,200 never split), with random error
     * curves: every target from 0.1 to 0.95 is met from below. Reaching some needs long moves (fc1 giving up ~80
     * ranks for conv2 to gain one).
     */
    @Test
    void aConvolutionNextToLargeLinearLayersReachesEveryTarget() {
        Random random = new Random(29);
        for (int trial = 0; trial < 10; trial++) {
            List<SpectrumAllocation.Layer> layers = List.of(
                    costed("conv2", 10_035_200L, 31, 319_872L, random),
                    costed("fc1", 3_211_264L, 771, 4_160L, random),
                    costed("fc2", 10_240L, 9, 1_034L, random));
            long other = 627_200L;
            long original = other + 10_035_200L + 3_211_264L + 10_240L;
            for (int t = 10; t <= 95; t += 5) {
                double target = t / 100.0;
                SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, other, target);
                long cost = independentCost(layers, other, result.ranks());
                assertTrue(cost <= target * original && target - (double) cost / original <= 0.001,
                        "trial " + trial + ", target " + target + ": ratio " + (double) cost / original);
            }
        }
    }

    /** A layer whose rank r costs {@code r · perRank}, ranks 1..maxRank, errors a random weight times a random tail. */
    private static SpectrumAllocation.Layer costed(String name, long original, int maxRank, long perRank, Random random) {
        int[] ranks = new int[maxRank];
        long[] costs = new long[maxRank];
        double[] errors = new double[maxRank];
        double weight = 0.01 + random.nextDouble();
        double tail = 1;
        for (int i = 0; i < maxRank; i++) {
            ranks[i] = i + 1;
            costs[i] = (i + 1) * perRank;
            tail *= 0.8 + 0.19 * random.nextDouble();
            errors[i] = weight * tail;
        }
        return new SpectrumAllocation.Layer(name, original, ranks, costs, errors);
    }

    @Test
    void layersWithoutAllowedRanksStayUnsplit() {
        Random random = new Random(3);
        List<SpectrumAllocation.Layer> layers = new ArrayList<>();
        layers.add(new SpectrumAllocation.Layer("tiny", 10, new int[0], new long[0], new double[0]));
        for (int l = 0; l < 10; l++) {
            layers.add(layer("L" + l, 64 + random.nextInt(64), 64 + random.nextInt(64), 1, random));
        }
        SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, 0, 0.5);
        assertFalse(result.ranks().containsKey("tiny"));
        assertTrue(result.targetMet());
        assertTrue(result.modelRatio() <= 0.5);
    }

    @Test
    void anUnreachableTargetGivesTheCheapestChoiceAndSaysSo() {
        Random random = new Random(5);
        List<SpectrumAllocation.Layer> layers = List.of(layer("A", 40, 50, 1, random), layer("B", 60, 30, 1, random));
        long other = 1000; // never split: A and B at rank 1 cost 90 + 90, the model 1180 of 4800
        SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, other, 0.2);
        assertFalse(result.reachable());
        assertFalse(result.targetMet());
        assertEquals(Map.of("A", 1, "B", 1), result.ranks());
        assertEquals(1180, result.cost());
        assertEquals(1180.0 / 4800, result.modelRatio(), 1e-15);
    }

    @Test
    void aTargetOfOneLeavesEveryLayerUnsplit() {
        Random random = new Random(9);
        List<SpectrumAllocation.Layer> layers = List.of(layer("A", 40, 50, 1, random), layer("B", 60, 30, 1, random));
        SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, 0, 1.0);
        assertTrue(result.ranks().isEmpty());
        assertEquals(0, result.predictedError());
    }

    /**
     * Against enumeration, on coarse instances (few ranks each, where a knapsack heuristic can miss): the result
     * fits the budget, is never better than the brute-force optimum (a check of both), and has no more error than
     * the best choice costing at most the Lagrangian point, which is what the Lagrangian guarantees (the fill
     * only improves on it).
     */
    @Test
    void coarseInstancesKeepTheLagrangianGuarantee() {
        Random random = new Random(13);
        for (int trial = 0; trial < 300; trial++) {
            List<SpectrumAllocation.Layer> layers = new ArrayList<>();
            int count = 2 + random.nextInt(3);
            for (int l = 0; l < count; l++) {
                layers.add(layer("L" + l, 6 + random.nextInt(10), 6 + random.nextInt(10), 1 + random.nextInt(2), random));
            }
            long other = random.nextInt(40);
            double target = 0.2 + 0.8 * random.nextDouble();
            SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, other, target);
            long original = other + layers.stream().mapToLong(SpectrumAllocation.Layer::originalCost).sum();
            long budget = (long) Math.floor(target * original);
            double bestWithinBudget = best(layers, other, budget);
            if (!result.reachable()) {
                assertEquals(Double.POSITIVE_INFINITY, bestWithinBudget, "trial " + trial + ": said unreachable, but a choice fits");
                continue;
            }
            assertTrue(result.cost() <= budget);
            assertTrue(result.predictedError() >= bestWithinBudget - 1e-12);
            if (result.reachMoves() == 0) {
                assertTrue(result.predictedError() <= best(layers, other, 0, result.lagrangianCost()) + 1e-12,
                        "trial " + trial + ": worse than the optimum at the Lagrangian point's cost");
            } else {
                // the reach step trades error for the target: it only acts when the least-error choice fell short
                assertTrue(result.lagrangianCost() < Math.ceil((target - 0.001) * original));
            }
        }
    }

    /**
     * Against enumeration on instances with many ranks per layer, as real layers have, and a tolerance band wider
     * than a rank step (as in real models, where one rank of one layer is far below 0.001 of the model; here three
     * layers sit in a model whose other, unsplit layers cost 100,000-150,000): the result is within the band; its
     * summed predicted error is within 5% of the optimum's among the choices in the band in every trial, and within
     * 0.1% in at least 25 of 30 (the heuristic is not exact: when first written, one trial was 2.6% off, the rest
     * optimal).
     */
    @Test
    void fineInstancesAreNearTheBruteForceOptimum() {
        Random random = new Random(17);
        double worst = 0;
        int nearOptimal = 0;
        for (int trial = 0; trial < 30; trial++) {
            List<SpectrumAllocation.Layer> layers = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                layers.add(layer("L" + l, 30 + random.nextInt(20), 30 + random.nextInt(20), 1, random));
            }
            long other = 100_000 + random.nextInt(50_000);
            long original = other + layers.stream().mapToLong(SpectrumAllocation.Layer::originalCost).sum();
            long cheapest = other + layers.stream().mapToLong(layer -> layer.costs()[0]).sum();
            double low = (double) cheapest / original;
            double target = low + 0.001 + (1 - low - 0.001) * random.nextDouble();
            SpectrumAllocation.Result result = SpectrumAllocation.allocate(layers, other, target);
            long budget = (long) Math.floor(target * original);
            double optimum = best(layers, other, (long) Math.ceil((target - 0.001) * original), budget);
            assertTrue(result.targetMet(), "trial " + trial + ": ratio " + result.modelRatio() + " for target " + target);
            worst = Math.max(worst, (result.predictedError() - optimum) / optimum);
            assertTrue(result.predictedError() <= optimum * 1.05 + 1e-9, "trial " + trial + ": " + result.predictedError()
                    + " vs optimum " + optimum);
            if (result.predictedError() <= optimum * 1.001 + 1e-9) {
                nearOptimal++;
            }
        }
        assertTrue(nearOptimal >= 25, nearOptimal + " of 30 within 0.1% of the optimum");
        System.out.println("fine instances: worst relative excess over the optimum " + worst);
    }

    /** The least summed error over every choice costing at most {@code limit}, by enumeration; infinity if none. */
    private static double best(List<SpectrumAllocation.Layer> layers, long other, long limit) {
        return best(layers, other, 0, limit);
    }

    /** The same over the choices costing {@code lowest} to {@code limit}. */
    private static double best(List<SpectrumAllocation.Layer> layers, long other, long lowest, long limit) {
        return best(layers, 0, other, lowest, limit);
    }

    private static double best(List<SpectrumAllocation.Layer> layers, int index, long cost, long lowest, long limit) {
        if (cost > limit) {
            return Double.POSITIVE_INFINITY;
        }
        if (index == layers.size()) {
            return cost >= lowest ? 0 : Double.POSITIVE_INFINITY;
        }
        SpectrumAllocation.Layer layer = layers.get(index);
        double best = best(layers, index + 1, cost + layer.originalCost(), lowest, limit);
        for (int i = 0; i < layer.ranks().length; i++) {
            best = Math.min(best, layer.errors()[i] + best(layers, index + 1, cost + layer.costs()[i], lowest, limit));
        }
        return best;
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> SpectrumAllocation.allocate(List.of(), 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new SpectrumAllocation.Layer("A", 100, new int[] {1, 2},
                new long[] {10, 100}, new double[] {1, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> new SpectrumAllocation.Layer("A", 100, new int[] {2, 1},
                new long[] {10, 20}, new double[] {1, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> new SpectrumAllocation.Layer("A", 100, new int[] {1},
                new long[] {10}, new double[] {Double.NaN}));
    }
}
