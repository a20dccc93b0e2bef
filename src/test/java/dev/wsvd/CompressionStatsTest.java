package dev.wsvd;

import dev.wsvd.CompressionStats.CostTotals;
import dev.wsvd.CompressionStats.ErrorProfile;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.CompressionStats.RunEnvironment;
import dev.wsvd.CompressionStats.Scores;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.CompressionStats.TargetOutcome;
import dev.wsvd.CostMetric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.report.SampleStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CompressionStatsTest {
    private static final RunEnvironment ENV = new RunEnvironment("0.1.0", "JDK 25", "Linux amd64", 2, "scalar", 1, 1);

    private static LayerStats compressed(String name) {
        return LayerStats.builder(name).op("Gemm").weightShape(100, 50).maxRank(50).costBefore(5_000, 5_000)
                .compressed(10, 0.3, 0.25, 1_500, 1_500).build();
    }

    private static LayerStats kept(String name) {
        return LayerStats.builder(name).op("Conv").weightShape(32, 1, 3, 3).maxRank(1).costBefore(288, 225_792)
                .kept(SkipReason.IGNORED, null).build();
    }

    private static CompressionStats.Builder manual(LayerStats... layers) {
        return CompressionStats.builder(CompressionMode.MANUAL, CostMetric.MEMORY).layers(List.of(layers)).environment(ENV)
                .inputModel(ModelFile.inMemory(1234));
    }

    @Test
    void totalsDefaultToTheSumOfTheRowsWithKeptLayersAtTheirOriginalCost() {
        CompressionStats stats = manual(compressed("a"), kept("b")).build();
        // hand sums: memory 5,000 + 288 -> 1,500 + 288; MACs 5,000 + 225,792 -> 1,500 + 225,792
        assertEquals(new CostTotals(5_288, 1_788, 230_792, 227_292), stats.cost());
        assertEquals(1_788.0 / 5_288, stats.memoryRatio(), 0);
        assertEquals(227_292.0 / 230_792, stats.macRatio(), 0);
        assertEquals(1, stats.compressedLayerCount());
    }

    @Test
    void explicitTotalsWinOverTheSum() {
        CostTotals totals = new CostTotals(10_000, 6_000, 1_000_000, 500_000);
        assertEquals(totals, manual(compressed("a")).cost(totals).build().cost());
    }

    @Test
    void keptLayerCostsTheSameAfter() {
        LayerStats layer = kept("conv1");
        assertFalse(layer.isCompressed());
        assertNull(layer.compressed());
        assertEquals(layer.paramsBefore(), layer.paramsAfter());
        assertEquals(layer.macsBefore(), layer.macsAfter());
    }

    @Test
    void rejectsDuplicateLayerNames() {
        var error = assertThrows(IllegalArgumentException.class, () -> manual(compressed("fc"), kept("fc")).build());
        assertTrue(error.getMessage().contains("fc"), error.getMessage());
    }

    @Test
    void rejectsAnEmptyLayerList() {
        assertThrows(IllegalArgumentException.class, () -> manual().build());
    }

    @Test
    void rankAboveMaxRankIsRejectedWithTheLayerName() {
        var error = assertThrows(IllegalArgumentException.class, () -> LayerStats.builder("fc9").op("Gemm").weightShape(10, 20)
                .maxRank(10).costBefore(200, 200).compressed(11, 0.9, 0.0, 190, 190).build());
        assertTrue(error.getMessage().contains("fc9") && error.getMessage().contains("11"), error.getMessage());
    }

    @Test
    void outcomeValuesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LayerOutcome.Compressed(0, 0.5, 0.1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LayerOutcome.Compressed(1, 0.0, 0.1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LayerOutcome.Compressed(1, 1.5, 0.1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LayerOutcome.Compressed(1, Double.NaN, 0.1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LayerOutcome.Compressed(1, 0.5, -0.1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LayerOutcome.Compressed(1, 0.5, 1.01, 10, 10));
        assertThrows(NullPointerException.class, () -> new LayerOutcome.Kept(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> Scores.of(Double.NaN, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Scores.of(0.5, Double.POSITIVE_INFINITY));
    }

    @Test
    void blankDetailMeansNoDetail() {
        LayerOutcome.Kept kept = new LayerOutcome.Kept(SkipReason.GROUPED_CONV, "  ");
        assertNull(kept.detail());
        assertEquals("grouped/depthwise conv", kept.describe());
        assertEquals("ignored: matched conv*", new LayerOutcome.Kept(SkipReason.IGNORED, "matched conv*").describe());
    }

    @Test
    void skipReasonIdsAreTheLowerCaseNamesReportJsonDocuments() {
        assertEquals(List.of("ignored", "no_ratio_given", "not_selected", "no_saving", "grouped_conv", "quantized", "unsupported"),
                Arrays.stream(SkipReason.values()).map(SkipReason::id).toList());
    }

    @Test
    void autoModeNeedsTargetEvalDictionaryAndScores() {
        var error = assertThrows(IllegalArgumentException.class, () -> CompressionStats.builder(CompressionMode.AUTO, CostMetric.MAC)
                .layer(compressed("a")).environment(ENV).inputModel(ModelFile.inMemory(1)).scores(0.9, 0.8).build());
        assertTrue(error.getMessage().contains("target") && error.getMessage().contains("evalDictionary"), error.getMessage());
    }

    @Test
    void manualModeRejectsATargetAndAnEvalDictionary() {
        assertThrows(IllegalArgumentException.class, () -> manual(compressed("a")).target(TargetOutcome.of(0.5, 0.5, 0.9)).build());
        assertThrows(IllegalArgumentException.class, () -> manual(compressed("a"))
                .evalDictionary(EvalDictionary.of(0.9, Map.of("a", Map.of(0.5, 0.8)))).build());
    }

    @Test
    void evalDictionaryAndProfilesMustNameExistingLayers() {
        CompressionStats.Builder unknownEval = CompressionStats.builder(CompressionMode.AUTO, CostMetric.MAC).layer(compressed("a"))
                .environment(ENV).inputModel(ModelFile.inMemory(1)).scores(0.9, 0.8).target(TargetOutcome.of(0.3, 0.3, 0.85))
                .evalDictionary(EvalDictionary.of(0.9, Map.of("ghost", Map.of(0.5, 0.8))));
        var error = assertThrows(IllegalArgumentException.class, unknownEval::build);
        assertTrue(error.getMessage().contains("ghost"), error.getMessage());

        ErrorProfile ghost = new ErrorProfile("ghost", new double[] {0.5}, new long[] {1}, new long[] {1});
        assertThrows(IllegalArgumentException.class, () -> manual(compressed("a")).errorProfile(ghost).build());
    }

    @Test
    void errorProfileMustCoverEveryRankOfItsLayer() {
        ErrorProfile tooShort = new ErrorProfile("a", new double[] {0.5, 0.2}, new long[] {150, 300}, new long[] {150, 300});
        var error = assertThrows(IllegalArgumentException.class, () -> manual(compressed("a")).errorProfile(tooShort).build());
        assertTrue(error.getMessage().contains("1..2") && error.getMessage().contains("50"), error.getMessage());
    }

    @Test
    void errorProfileChecksItsArraysAndCopiesThem() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorProfile("a", new double[] {0.5}, new long[] {1, 2}, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new ErrorProfile("a", new double[0], new long[0], new long[0]));
        assertThrows(IllegalArgumentException.class, () -> new ErrorProfile("a", new double[] {Double.NaN}, new long[] {1}, new long[] {1}));
        double[] errors = {0.5, 0.25};
        ErrorProfile profile = new ErrorProfile("a", errors, new long[] {10, 20}, new long[] {30, 60});
        errors[0] = 0.9;
        profile.relativeError()[1] = 0.9;
        assertEquals(0.5, profile.relativeErrorAt(1));
        assertEquals(0.25, profile.relativeErrorAt(2));
        assertEquals(20, profile.paramsAt(2));
        assertEquals(60, profile.macsAt(2));
        assertThrows(IndexOutOfBoundsException.class, () -> profile.relativeErrorAt(3));
        assertEquals(profile, new ErrorProfile("a", new double[] {0.5, 0.25}, new long[] {10, 20}, new long[] {30, 60}));
    }

    @Test
    void targetIsReachedWithinTheToleranceOnly() {
        assertTrue(TargetOutcome.of(0.8, 0.8, 0.9).reached());
        assertTrue(TargetOutcome.of(0.8, 0.801, 0.9).reached());
        assertTrue(TargetOutcome.of(0.8, 0.799, 0.9).reached());
        assertFalse(TargetOutcome.of(0.8, 0.8011, 0.9).reached());
        assertFalse(TargetOutcome.of(0.5, 0.7211, 0.9).reached());
        assertFalse(new TargetOutcome(0.8, 0.8005, 0.0, 0.9).reached());
        assertThrows(IllegalArgumentException.class, () -> TargetOutcome.of(0.0, 0.5, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new TargetOutcome(0.5, 0.5, -1, 0.9));
    }

    @Test
    void evalDictionaryAreSortedImmutableCopiesInLayerOrder() {
        Map<String, Map<Double, Double>> measured = new LinkedHashMap<>();
        Map<Double, Double> zCurve = new LinkedHashMap<>();
        zCurve.put(0.9, 0.91);
        zCurve.put(0.1, 0.35);
        measured.put("z-first", zCurve);
        measured.put("a-second", new TreeMap<>(Map.of(0.5, 0.8)));
        EvalDictionary eval = EvalDictionary.of(0.92, measured);
        zCurve.put(0.5, 0.0);
        assertEquals(List.of("z-first", "a-second"), new ArrayList<>(eval.measured().keySet()));
        assertEquals(List.of(0.1, 0.9), new ArrayList<>(eval.measured().get("z-first").keySet()));
        assertThrows(UnsupportedOperationException.class, () -> eval.measured().get("a-second").put(0.2, 0.1));
        assertThrows(UnsupportedOperationException.class, () -> eval.measured().remove("a-second"));
        assertFalse(eval.hasFit());
        assertEquals(eval.measured().get("a-second"), eval.selectionScores("a-second"));
    }

    @Test
    void evalDictionaryTakesSelectionsExactDecimalRatios() {
        Map<java.math.BigDecimal, Double> curve = new LinkedHashMap<>();
        curve.put(new java.math.BigDecimal("0.9"), 0.91);
        curve.put(new java.math.BigDecimal("0.1"), 0.35);
        EvalDictionary eval = EvalDictionary.of(0.92, Map.of("fc1", curve));
        assertEquals(List.of(0.1, 0.9), new ArrayList<>(eval.measured().get("fc1").keySet()));
        assertEquals(0.35, eval.measured().get("fc1").get(0.1));
    }

    @Test
    void evalDictionaryRejectBadRatiosScoresAndStrayFits() {
        assertThrows(IllegalArgumentException.class, () -> EvalDictionary.of(0.9, Map.of("a", Map.of(1.2, 0.5))));
        assertThrows(IllegalArgumentException.class, () -> EvalDictionary.of(0.9, Map.of("a", Map.of(0.5, Double.NaN))));
        assertThrows(IllegalArgumentException.class, () -> EvalDictionary.of(0.9, Map.of("a", Map.of())));
        assertThrows(IllegalArgumentException.class, () -> EvalDictionary.of(0.9, Map.of("a", Map.of(0.5, 0.5)), Map.of("b", Map.of(0.5, 0.5))));
        EvalDictionary fitted = EvalDictionary.of(0.9, Map.of("a", Map.of(0.5, 0.7, 0.6, 0.6)), Map.of("a", Map.of(0.5, 0.65, 0.6, 0.65)));
        assertTrue(fitted.hasFit());
        assertEquals(0.65, fitted.selectionScores("a").get(0.6));
    }

    @Test
    void layerListsAreCopiedOnBuild() {
        List<LayerStats> rows = new ArrayList<>(List.of(compressed("a")));
        CompressionStats stats = manual().layers(rows).build();
        rows.add(kept("b"));
        assertEquals(1, stats.layers().size());
        assertThrows(UnsupportedOperationException.class, () -> stats.layers().add(kept("c")));
    }

    @Test
    void phaseTotalDefaultsToTheSumAndNegativeTimesAreRejected() {
        PhaseTimes times = PhaseTimes.builder().svd(Duration.ofMillis(300)).evaluation(Duration.ofSeconds(2)).build();
        assertEquals(Duration.ofMillis(2_300), times.total());
        assertEquals(Duration.ZERO, times.writing());
        assertEquals(Duration.ofSeconds(9), PhaseTimes.builder().svd(Duration.ofMillis(300)).total(Duration.ofSeconds(9)).build().total());
        assertThrows(IllegalArgumentException.class, () -> PhaseTimes.builder().svd(Duration.ofMillis(-1)).build());
    }

    @Test
    void environmentDetectsTheRunningJvm() {
        RunEnvironment env = RunEnvironment.detect("0.1.0", "scalar", 1, 2);
        assertTrue(env.jdk().contains(Runtime.version().toString()), env.jdk());
        assertEquals(Runtime.getRuntime().availableProcessors(), env.availableProcessors());
        assertThrows(IllegalArgumentException.class, () -> RunEnvironment.detect("0.1.0", "scalar", 0, 2));
    }

    @Test
    void sampleDataSatisfiesThePreconditions() {
        // the fixtures used by the renderer tests are themselves valid statistics
        assertEquals(4, SampleStats.cnnAuto().layers().size());
        assertEquals(36, SampleStats.miniLmAuto().layers().size());
        assertNull(SampleStats.cnnManual().scores());
    }
}
