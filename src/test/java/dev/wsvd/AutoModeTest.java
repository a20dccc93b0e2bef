package dev.wsvd;

import dev.wsvd.selection.CandidateRatios;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.GreedyParameters;
import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.ModelSource;
import dev.wsvd.CostMetric;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Auto mode end to end on the Fashion-MNIST CNN with a cheap deterministic evaluator (see
 * {@link WeightFidelityEvaluator}): evaluation counts, resuming from a scores file, parallel and sequential
 * sweeps, and the target against what the statistics report.
 *
 * <p>MAC costs of the CNN (model card; pair cost per rank {@code (m s + n k) P}): conv1 1->32 5x5 at 28x28,
 * original 627,200, never cheaper split; conv2 32->64 5x5 at 14x14, original 10,035,200, 1632·196 per rank;
 * fc1 3136->1024, original 3,211,264, 4160 per rank; fc2 1024->10, original 10,240, 1034 per rank.
 */
class AutoModeTest {
    private static final List<String> CANDIDATES = List.of("/conv2/Conv", "/fc1/Gemm", "/fc2/Gemm");
    private static final long TOTAL_MACS = 627_200L + 10_035_200L + 3_211_264L + 10_240L;

    private static ModelSource.InMemory model;

    @BeforeAll
    static void readModel() throws Exception {
        model = (ModelSource.InMemory) ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
    }

    private static CompressionResult compress(GreedyParameters greedy, Path scores, WeightFidelityEvaluator evaluator,
                                              int parallelism) throws CompressionException {
        WeightSvdCompressor.Builder builder = TestCompressors.auto(greedy);
        if (scores != null) {
            builder.scoresFile(scores);
        }
        return builder
                .evaluator(evaluator)
                .evaluationParallelism(parallelism)
                .build()
                .compress(model);
    }

    private static GreedyParameters target(double ratio) {
        return GreedyParameters.target(ratio).withLayersToIgnore("/conv1/Conv");
    }

    @Test
    void everyCandidateIsEvaluatedOnceAndASavedFileReselectsWithoutEvaluating(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        WeightFidelityEvaluator first = WeightFidelityEvaluator.of(model);
        CompressionStats original;
        try (CompressionResult result = compress(target(0.6), scores, first, 0)) {
            original = result.stats();
        }
        // baseline + 3 layers x 9 ratios + the compressed model
        assertEquals(1 + 27 + 1, first.calls.get());
        assertEquals(27, EvalScores.load(scores).size());

        WeightFidelityEvaluator second = WeightFidelityEvaluator.of(model);
        try (CompressionResult again = compress(target(0.6), scores, second, 0)) {
            assertEquals(2, second.calls.get(), "only the baseline and the compressed model");
            assertEquals(outcomes(original), outcomes(again.stats()));
            assertEquals(original.evalDictionary(), again.stats().evalDictionary());
        }
    }

    @Test
    void anInterruptedSweepResumesWithOnlyTheMissingCandidates(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        WeightFidelityEvaluator failing = WeightFidelityEvaluator.of(model, 10, false);
        CompressionException e = assertThrows(CompressionException.class, () -> compress(target(0.6), scores, failing, 1));
        assertTrue(e.getMessage().contains(scores.toString()), e.getMessage());
        assertEquals(10, EvalScores.load(scores).size(), "the ten scored candidates are saved");

        WeightFidelityEvaluator resumed = WeightFidelityEvaluator.of(model);
        CompressionStats afterResume;
        try (CompressionResult result = compress(target(0.6), scores, resumed, 1)) {
            afterResume = result.stats();
        }
        assertEquals(27 - 10, resumed.candidateCalls.get());
        try (CompressionResult fresh = compress(target(0.6), null, WeightFidelityEvaluator.of(model), 1)) {
            assertEquals(outcomes(fresh.stats()), outcomes(afterResume));
            assertEquals(fresh.stats().evalDictionary(), afterResume.evalDictionary());
        }
    }

    /**
     * The same scores either way, up to float rounding: candidates' {@code W_r = B·A} come from OpenBLAS, which
     * sums in another order on one thread (inside the pool) than on two, so scores may differ around 1e-10.
     */
    @Test
    void parallelAndSequentialSweepsScoreAlike() throws Exception {
        try (CompressionResult parallel = compress(target(0.7), null, WeightFidelityEvaluator.of(model), 2);
             CompressionResult sequential = compress(target(0.7), null, WeightFidelityEvaluator.of(model), 1)) {
            assertEquals(2, parallel.stats().environment().evaluationParallelism());
            assertEquals(1, sequential.stats().environment().evaluationParallelism());
            EvalDictionary a = sequential.stats().evalDictionary();
            EvalDictionary b = parallel.stats().evalDictionary();
            assertEquals(a.measured().keySet(), b.measured().keySet());
            a.measured().forEach((layer, curve) -> {
                assertEquals(curve.keySet(), b.measured().get(layer).keySet());
                curve.forEach((ratio, score) -> assertEquals(score, b.measured().get(layer).get(ratio), 1e-6, layer + " at " + ratio));
            });
            assertEquals(outcomes(sequential.stats()), outcomes(parallel.stats()));
            assertEquals(CANDIDATES, List.copyOf(parallel.stats().evalDictionary().measured().keySet()), "model order");
        }
    }

    @Test
    void theAchievedRatioIsTheReportedOneAndWithinToleranceExactlyWhenReached() throws Exception {
        for (double wanted : new double[] {0.5, 0.7, 0.9}) {
            try (CompressionResult result = compress(target(wanted), null, WeightFidelityEvaluator.of(model), 0)) {
                CompressionStats stats = result.stats();
                assertEquals(wanted, stats.target().target());
                assertEquals(stats.macRatio(), stats.target().achieved(), 1e-15, "selection and totals agree");
                assertEquals(Math.abs(stats.target().achieved() - wanted) <= 0.001, stats.target().reached());
                long macsAfter = 627_200L;
                for (String name : CANDIDATES) {
                    macsAfter += stats.layer(name).macsAfter();
                }
                assertEquals(TOTAL_MACS, stats.cost().macsBefore());
                assertEquals(macsAfter, stats.cost().macsAfter());
                assertPairCosts(stats);
            }
        }
    }

    /** Phases are disjoint: a phase that enclosed another (selection around the sweep, say) would exceed the total. */
    @Test
    void thePhaseTimesAddUpToNoMoreThanTheWallTime() throws Exception {
        try (CompressionResult result = compress(target(0.7), null, WeightFidelityEvaluator.of(model), 2)) {
            PhaseTimes times = result.stats().timings();
            Duration phases = times.svd().plus(times.rewriting()).plus(times.evaluation()).plus(times.selection())
                    .plus(times.writing());
            assertTrue(phases.compareTo(times.total()) <= 0, phases + " of phases within a total of " + times.total());
            assertTrue(times.evaluation().compareTo(times.selection()) > 0, "the sweep is evaluation, not selection: " + times);
        }
    }

    @Test
    void theMemoryMetricSelectsOnWeights() throws Exception {
        GreedyParameters greedy = target(0.5);
        try (CompressionResult result = TestCompressors.auto(greedy).metric(CostMetric.MEMORY)
                .evaluator(WeightFidelityEvaluator.of(model)).build().compress(model)) {
            CompressionStats stats = result.stats();
            assertEquals(stats.memoryRatio(), stats.target().achieved(), 1e-15);
            assertEquals(Math.abs(stats.memoryRatio() - 0.5) <= 0.001, stats.target().reached());
        }
    }

    @Test
    void ignoredLayersAreKeptWithTheReasonAndNeverEvaluated() throws Exception {
        WeightFidelityEvaluator evaluator = WeightFidelityEvaluator.of(model);
        try (CompressionResult result = compress(target(0.7).withLayersToIgnore("/conv1/Conv", "/fc?/Gemm"), null, evaluator, 0)) {
            CompressionStats stats = result.stats();
            assertEquals(new LayerOutcome.Kept(SkipReason.IGNORED, "matches /fc?/Gemm"), stats.layer("/fc1/Gemm").outcome());
            assertEquals(LayerOutcome.Kept.because(SkipReason.IGNORED), stats.layer("/conv1/Conv").outcome());
            assertEquals(List.of("/conv2/Conv"), List.copyOf(stats.evalDictionary().measured().keySet()));
            assertEquals(1 + 9 + 1, evaluator.calls.get());
        }
    }

    @Test
    void rankRoundingGivesMultiplesOfTheMultiplicity() throws Exception {
        try (CompressionResult result = TestCompressors.auto(target(0.6)).multiplicity(8)
                .evaluator(WeightFidelityEvaluator.of(model)).build().compress(model)) {
            for (LayerStats layer : result.stats().layers()) {
                if (layer.isCompressed()) {
                    int rank = layer.compressed().rank();
                    assertTrue(rank % 8 == 0, layer.name() + " at rank " + rank);
                }
            }
            assertPairCosts(result.stats());
        }
    }

    /**
     * With multiplicity 8 the reference's selection on the CNN at target 0.5 rounds its way down to about 0.40 (conv2,
     * three quarters of the MACs, moves in steps of 8 ranks = 18% of the model); the grid fill then moves the selected
     * ranks along the multiples of 8 until the model is within 0.001 of 0.5, or as close as the grid allows, and says
     * which. Either way the ranks stay multiples of 8 (or a layer's maximum), and the fill must have improved on the
     * selection it started from.
     */
    @Test
    void rankRoundingStillLandsOnTheTargetOrSaysHowCloseItGot() throws Exception {
        List<String> notes = new java.util.ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override public void begin(String phase, int steps) { }
            @Override public void step(String detail) { }
            @Override public void end() { }
            @Override public void note(String message) { notes.add(message); }
        };
        try (CompressionResult result = TestCompressors.auto(target(0.5)).multiplicity(8).progress(listener)
                .evaluator(WeightFidelityEvaluator.of(model)).build().compress(model)) {
            CompressionStats stats = result.stats();
            for (LayerStats layer : stats.layers()) {
                if (layer.isCompressed()) {
                    int rank = layer.compressed().rank();
                    assertTrue(rank % 8 == 0 || rank == layer.maxRank(), layer.name() + " at rank " + rank);
                }
            }
            assertPairCosts(stats);
            String fill = notes.stream().filter(n -> n.contains("grid step")).findFirst().orElseThrow(
                    () -> new AssertionError("the fill ran: " + notes));
            double before = Double.parseDouble(fill.replaceAll(".*left the model at ([0-9.]+);.*", "$1"));
            double achieved = stats.target().achieved();
            System.out.println(fill + "; achieved " + achieved);
            assertTrue(Math.abs(achieved - 0.5) < Math.abs(before - 0.5), "the fill moved toward the target: " + fill);
            assertEquals(stats.macRatio(), achieved, 1e-9, "the reported ratio is the model's");
            if (stats.target().reached()) {
                assertEquals(0.5, achieved, 0.001);
            } else {
                assertTrue(fill.contains("closest point the grid reaches"), fill);
            }
        }
    }

    @Test
    void misuseFailsWithAClearMessage(@TempDir Path dir) throws Exception {
        assertThrows(IllegalStateException.class, () -> TestCompressors.auto(target(0.5)).build());
        Path broken = dir.resolve("scores.json");
        Files.writeString(broken, "{\"format\": \"something else\"}");
        CompressionException e = assertThrows(CompressionException.class,
                () -> compress(target(0.5), broken, WeightFidelityEvaluator.of(model), 0));
        assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains("another --scores file"), e.getMessage());
        e = assertThrows(CompressionException.class, () -> compress(GreedyParameters.target(0.5).withLayersToIgnore("/conv7/Conv"),
                null, WeightFidelityEvaluator.of(model), 0));
        assertTrue(e.getMessage().contains("/conv7/Conv") && e.getMessage().contains("/conv2/Conv"), e.getMessage());
    }

    @Test
    void theCandidateRatiosAreTheReferenceDecimals(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        try (CompressionResult _ = compress(target(0.5).withCandidates(4), scores, WeightFidelityEvaluator.of(model), 0)) {
            EvalScores saved = EvalScores.load(scores);
            assertEquals(CandidateRatios.of(4), saved.scores("/fc1/Gemm").stream().map(s -> s.ratio()).sorted().toList());
            assertEquals("0.50", saved.scores("/fc1/Gemm").stream().map(s -> s.ratio()).filter(r -> r.compareTo(new BigDecimal("0.5")) == 0)
                    .findFirst().orElseThrow().toString(), "Python's str(Decimal(1)/Decimal(4) * 2)");
        }
    }

    /** Every compressed layer's params and MACs after are the hand formula's at its rank. */
    private static void assertPairCosts(CompressionStats stats) {
        Map<String, long[]> perRank = Map.of(
                // {params per rank, MACs per rank}
                "/conv2/Conv", new long[] {32 + 64 * 25, (32 + 64 * 25) * 196L},
                "/fc1/Gemm", new long[] {3136 + 1024, 3136 + 1024},
                "/fc2/Gemm", new long[] {1024 + 10, 1024 + 10});
        for (String name : CANDIDATES) {
            LayerStats layer = stats.layer(name);
            if (layer.isCompressed()) {
                int rank = layer.compressed().rank();
                assertEquals(rank * perRank.get(name)[0], layer.paramsAfter(), name);
                assertEquals(rank * perRank.get(name)[1], layer.macsAfter(), name);
                assertEquals((double) layer.macsAfter() / layer.macsBefore(), layer.compressed().ratio(), 1e-12, name);
            }
        }
    }

    private static List<LayerOutcome> outcomes(CompressionStats stats) {
        return stats.layers().stream().map(LayerStats::outcome).toList();
    }

    @Test
    void selectionIsNotFooledByAFileFromAnotherRun(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        EvalScores foreign = new EvalScores();
        foreign.record("/encoder/layer.0/MatMul", new BigDecimal("0.5"), 0.9);
        foreign.saveTo(scores);
        WeightFidelityEvaluator evaluator = WeightFidelityEvaluator.of(model);
        try (CompressionResult result = compress(target(0.6), scores, evaluator, 0)) {
            assertEquals(27, evaluator.candidateCalls.get());
            assertFalse(result.stats().evalDictionary().measured().containsKey("/encoder/layer.0/MatMul"));
            assertTrue(EvalScores.load(scores).layers().contains("/encoder/layer.0/MatMul"), "kept in the file");
        }
    }
}
