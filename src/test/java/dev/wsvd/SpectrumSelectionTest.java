package dev.wsvd;

import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.SelectionSummary;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.GreedyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spectrum selection end to end on the Fashion-MNIST CNN: evaluation counts against greedy's, the target
 * against MACs recomputed here from the chosen ranks, the scores file shared with greedy, and the held-out scores
 * of the built-in accuracy evaluator.
 *
 * <p>MAC costs of the CNN (model card, as in {@link AutoModeTest}): conv1 never cheaper split (ignored here);
 * conv2 original 10,035,200, 1632·196 per rank; fc1 original 3,211,264, 4160 per rank; fc2 original 10,240,
 * 1034 per rank; total with conv1's 627,200: 13,883,904.
 */
class SpectrumSelectionTest {
    private static final List<String> CANDIDATES = List.of("/conv2/Conv", "/fc1/Gemm", "/fc2/Gemm");
    private static final long CONV1 = 627_200L;
    private static final long TOTAL_MACS = CONV1 + 10_035_200L + 3_211_264L + 10_240L;

    private static ModelSource.InMemory model;

    @BeforeAll
    static void readModel() throws Exception {
        model = (ModelSource.InMemory) ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
    }

    private static WeightSvdCompressor.Builder spectrum(double target) {
        return WeightSvdCompressor.builder().target(target).selection(SelectionMode.SPECTRUM).ignore("/conv1/Conv");
    }

    /** The model's MACs with {@code stats}' ranks, from the cost formulas above. */
    private static long macs(CompressionStats stats) {
        long total = CONV1;
        total += cost(stats, "/conv2/Conv", 10_035_200L, 1632L * 196);
        total += cost(stats, "/fc1/Gemm", 3_211_264L, 4160L);
        total += cost(stats, "/fc2/Gemm", 10_240L, 1034L);
        return total;
    }

    private static long cost(CompressionStats stats, String layer, long original, long perRank) {
        LayerStats row = stats.layer(layer);
        return row.isCompressed() ? row.compressed().rank() * perRank : original;
    }

    @Test
    void probesEachLayerOnceAndHitsTheTargetFromBelow() throws Exception {
        for (double target : new double[] {0.3, 0.6, 0.85}) {
            WeightFidelityEvaluator evaluator = WeightFidelityEvaluator.of(model);
            try (CompressionResult result = spectrum(target).evaluator(evaluator).build().compress(model)) {
                CompressionStats stats = result.stats();
                // baseline (also the search baseline: this evaluator has one data set) + 3 probes + the compressed model
                assertEquals(1 + 3 + 1, evaluator.calls.get(), "target " + target);
                assertEquals(3, evaluator.candidateCalls.get());
                long macs = macs(stats);
                assertEquals(macs, stats.cost().macsAfter(), "the statistics count the MACs of the chosen ranks");
                assertEquals(TOTAL_MACS, stats.cost().macsBefore());
                double ratio = (double) macs / TOTAL_MACS;
                assertTrue(ratio <= target, "ratio " + ratio + " exceeds the target " + target);
                assertTrue(target - ratio <= 0.001, "ratio " + ratio + " is more than 0.001 below the target " + target);
                assertTrue(stats.target().reached());
                assertFalse(stats.target().hasScoreThreshold());

                SelectionSummary selection = stats.selection();
                assertEquals(SelectionMode.SPECTRUM, selection.mode());
                assertEquals(3, selection.evaluations());
                assertEquals(0, selection.reusedScores());
                assertEquals(CANDIDATES, List.copyOf(selection.probeDrops().keySet()));
                assertEquals(0.5, selection.probeRatio());
                assertEquals(1.0, selection.searchBaseline());
                assertTrue(stats.scoreSets().shared(), "a user's evaluator has one data set, and the statistics say so");
                // the eval dictionary holds the probes: one ratio per layer
                stats.evalDictionary().measured().values().forEach(curve -> assertEquals(1, curve.size()));
            }
        }
    }

    @Test
    void greedyNeedsNineTimesTheEvaluations() throws Exception {
        WeightFidelityEvaluator evaluator = WeightFidelityEvaluator.of(model);
        try (CompressionResult result = TestCompressors.auto(GreedyParameters.target(0.6).withLayersToIgnore("/conv1/Conv"))
                .evaluator(evaluator).build().compress(model)) {
            assertEquals(1 + 27 + 1, evaluator.calls.get());
            assertEquals(SelectionMode.GREEDY, result.stats().selection().mode());
            assertEquals(27, result.stats().selection().evaluations());
            assertTrue(result.stats().target().hasScoreThreshold());
        }
    }

    @Test
    void probesAreGreedysRatioHalfCandidatesInTheSameScoresFile(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        try (CompressionResult greedy = TestCompressors.auto(GreedyParameters.target(0.6).withLayersToIgnore("/conv1/Conv"))
                .scoresFile(scores).evaluator(WeightFidelityEvaluator.of(model)).build().compress(model)) {
            assertEquals(27, EvalScores.load(scores).size());
        }
        WeightFidelityEvaluator evaluator = WeightFidelityEvaluator.of(model);
        try (CompressionResult result = spectrum(0.6).scoresFile(scores).evaluator(evaluator).build().compress(model)) {
            assertEquals(0, evaluator.candidateCalls.get(), "every probe was in the greedy sweep's file");
            assertEquals(0, result.stats().selection().evaluations());
            assertEquals(3, result.stats().selection().reusedScores());
        }
    }

    @Test
    void theBuilderRefusesGreedyOnlySettingsWithSpectrum() throws Exception {
        WeightFidelityEvaluator evaluator = WeightFidelityEvaluator.of(model);
        assertThrows(IllegalStateException.class, () -> spectrum(0.5).monotonicFit(true).evaluator(evaluator).build());
        assertThrows(IllegalStateException.class, () -> spectrum(0.5).candidates(5).evaluator(evaluator).build());
        assertThrows(IllegalStateException.class, () -> WeightSvdCompressor.builder().ratio(0.5)
                .selection(SelectionMode.SPECTRUM).build());
    }

    /**
     * With the built-in accuracy evaluator the probes score the search slice and the run reports held-out scores:
     * the baseline equals the original's accuracy on the held-out images computed here, and differs from the
     * search slice's.
     */
    @Test
    void theBuiltInEvaluatorReportsHeldOutScores() throws Exception {
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.fashionMnistTestSlice().limit(300).heldOutImages(2000)
                .build()) {
            double heldOutBaseline = accuracy.evaluateHeldOut(model, 2).value();
            double searchBaseline = accuracy.evaluate(model, 2).value();
            try (CompressionResult result = spectrum(0.5).evaluator(accuracy).build().compress(model)) {
                CompressionStats stats = result.stats();
                assertEquals(heldOutBaseline, stats.scores().baseline().value(), 1e-12);
                assertEquals(searchBaseline, stats.selection().searchBaseline(), 1e-12);
                assertFalse(stats.scoreSets().shared());
                assertTrue(stats.scoreSets().search().startsWith("300 "), stats.scoreSets().search());
                assertTrue(stats.scoreSets().reported().startsWith("2000 "), stats.scoreSets().reported());
                double ratio = (double) macs(stats) / TOTAL_MACS;
                assertTrue(ratio <= 0.5 && 0.5 - ratio <= 0.001, "ratio " + ratio);
            }
        }
    }

    @Test
    void manualModeHasNoSelection() throws Exception {
        try (CompressionResult result = WeightSvdCompressor.builder().ratio(0.5).ignore("/conv1/Conv").build().compress(model)) {
            assertNull(result.stats().selection());
            assertNull(result.stats().scoreSets());
        }
    }
}
