package dev.wsvd;

import dev.wsvd.CompressionStats.CalibrationSummary;
import dev.wsvd.CompressionStats.LatencyStats;
import dev.wsvd.CompressionStats.LayerCalibration;
import dev.wsvd.CompressionStats.ScoreSets;
import dev.wsvd.CompressionStats.Scores;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.MonotonicFit;
import dev.wsvd.selection.RatioScore;
import dev.wsvd.CompressionMode;
import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.ErrorProfile;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.CompressionStats.RunEnvironment;
import dev.wsvd.CompressionStats.TargetOutcome;
import dev.wsvd.CostMetric;
import dev.wsvd.calibration.LayerGrams;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.RankProfile;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.simd.Vectorization;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a finished run into {@link CompressionStats}: one row per planned layer, totals, scores, timings. */
final class StatsAssembler {
    private final WeightSvdParameters parameters;
    private final LayerInventory.Plan plan;
    private final Decompositions factors;
    private final Choices choices;
    private final CalibrationSummary.RefinementRun refinement;

    /** {@code refinement}: the sequential refinement that ran, or null. */
    StatsAssembler(WeightSvdParameters parameters, LayerInventory.Plan plan, Decompositions factors,
                   Choices choices, CalibrationSummary.RefinementRun refinement) {
        this.refinement = refinement;
        this.parameters = parameters;
        this.plan = plan;
        this.factors = factors;
        this.choices = choices;
    }

    CompressionStats assemble(Score baseline, Score compressed, ScoreSets scoreSets, PhaseTimes times, int evaluationParallelism,
                              ModelFile input, ModelFile output, LatencyStats latency) {
        CostMetric metric = parameters.costMetric();
        CompressionStats.Builder stats = CompressionStats.builder(
                parameters.isAuto() ? CompressionMode.AUTO : CompressionMode.MANUAL, metric);
        if (baseline != null && compressed != null) {
            stats.scores(new Scores(baseline, compressed)).scoreSets(scoreSets);
        }
        LayerGrams grams = factors.grams();
        if (parameters.method() == Method.DATA_AWARE && grams != null) {
            stats.method(Method.DATA_AWARE, new CalibrationSummary(grams.source(), grams.samples(), grams.time(), refinement));
        } else {
            stats.method(parameters.method(), null);
        }
        for (PlannedLayer layer : plan.layers()) {
            stats.layer(row(layer, metric));
            if (factors.has(layer.name()) && layer.cost().rankStep() == 1) {
                stats.errorProfile(profile(layer));
            }
        }
        if (choices.target() != null) {
            stats.target(choices.target()).selection(choices.summary());
            // the dictionary's baseline is the score its candidates are compared with: the search data's
            stats.evalDictionary(evalDictionary(choices.summary().searchBaseline(), choices.scores()));
        }
        return stats.timings(times)
                .environment(RunEnvironment.detect(Version.VALUE, Vectorization.kernels().description(), blasThreads(), evaluationParallelism))
                .inputModel(input)
                .outputModel(output)
                .latency(latency)
                .build();
    }

    private LayerStats row(PlannedLayer layer, CostMetric metric) {
        LayerStats.Builder row = LayerStats.builder(layer.name())
                .op(layer.layer().opType())
                .weightShape(layer.layer().weightShape().toArray())
                .maxRank(layer.cost().maxRank())
                .costBefore(layer.originalParams(), layer.originalMacs());
        Integer rank = choices.ranks().get(layer.name());
        row.calibration(calibration(layer, rank));
        if (rank != null) {
            double ratio = (double) layer.pairCost(rank, metric) / layer.original(metric);
            return row.compressed(rank, ratio, factors.of(layer.name()).relativeError(rank), layer.pairParams(rank),
                    layer.pairMacs(rank)).build();
        }
        LayerOutcome.Kept kept = choices.kept().get(layer.name());
        return row.outcome(kept).build();
    }

    /** Data-aware method: how the layer was whitened (or why not); null for the plain method or a layer never decomposed. */
    private LayerCalibration calibration(PlannedLayer layer, Integer rank) {
        LayerGrams grams = factors.grams();
        if (parameters.method() != Method.DATA_AWARE || grams == null || !factors.has(layer.name())) {
            return null;
        }
        String fallback = grams.fallbacks().get(layer.name());
        if (fallback != null) {
            return LayerCalibration.fellBack(fallback);
        }
        LayerSvd svd = factors.of(layer.name());
        if (!svd.isDataAware()) {
            return null;
        }
        return LayerCalibration.whitened(grams.rows(layer.name()), svd.relativeGramShift(),
                rank == null ? Double.NaN : svd.relativeOutputError(rank));
    }

    /** The report's error profile of an ungrouped layer (ranks 1..max), from the layer's own rank profile. */
    private ErrorProfile profile(PlannedLayer layer) {
        RankProfile profile = factors.of(layer.name()).profile();
        return new ErrorProfile(layer.name(), profile.weightError(), profile.params(), profile.macs(), profile.outputError());
    }

    private EvalDictionary evalDictionary(double baseline, EvalScores measured) {
        if (parameters.selection() instanceof AutoSelection auto && auto.greedy().monotonicFit()) {
            return EvalDictionary.of(baseline, curves(measured), curves(MonotonicFit.apply(measured)));
        }
        return EvalDictionary.of(baseline, curves(measured));
    }

    private static Map<String, Map<BigDecimal, Double>> curves(EvalScores scores) {
        Map<String, Map<BigDecimal, Double>> curves = new LinkedHashMap<>();
        for (String layer : scores.layers()) {
            Map<BigDecimal, Double> curve = new LinkedHashMap<>();
            for (RatioScore point : scores.scores(layer)) {
                curve.put(point.ratio(), point.score());
            }
            curves.put(layer, curve);
        }
        return curves;
    }

    private static int blasThreads() {
        try {
            return OpenBlas.threads();
        } catch (RuntimeException e) {
            return 1; // OpenBLAS failed to load: the run could not have decomposed anything, but report anyway
        }
    }
}
