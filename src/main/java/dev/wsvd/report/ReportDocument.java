package dev.wsvd.report;

import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.CostTotals;
import dev.wsvd.CompressionStats.ErrorProfile;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.LayerCalibration;
import dev.wsvd.Latency;
import dev.wsvd.CompressionStats.LatencyStats;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.CompressionStats.RunEnvironment;
import dev.wsvd.CompressionStats.Scores;
import dev.wsvd.CompressionStats.TargetOutcome;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * report.json as records: the form {@code JsonDocuments} maps to snake_case JSON (see src/docs/report-format.md),
 * built from the statistics in one place ({@link #of}). Derived values (the score change, the cost ratios, whether
 * the target was reached, the after-costs of kept layers) are written for readers' convenience.
 */
record ReportDocument(String format, int formatVersion, String mode, String costMetric, ScoresPart scores, CostPart cost,
                      TargetPart target, List<LayerPart> layers, EvalDictionaryPart evalDictionary,
                      List<ErrorProfilePart> errorProfiles, TimingsPart timingsMs, EnvironmentPart environment,
                      ModelPart inputModel, ModelPart outputModel, String method, CalibrationPart calibration,
                      ScoreSetsPart scoreSets, SelectionPart selection,
                      LatencyPart latency) {

    /**
     * The data-aware method's calibration; {@code time_ms} exact to the nanosecond; {@code refinement} null unless the
     * sequential refinement ran.
     */
    record CalibrationPart(String source, int samples, BigDecimal timeMs, RefinementPart refinement) {
    }

    /** The sequential refinement: calibration passes, layers refitted (with a residual target), wall time. */
    record RefinementPart(int passes, int layers, int residualLayers, BigDecimal timeMs) {
    }

    /** Which data the scores come from: the search's and the reported scores', and whether they are the same. */
    record ScoreSetsPart(String search, String reported, boolean shared) {
    }

    /**
     * How auto mode chose its ranks: {@code probeRatio}, {@code probeDrops} and {@code predictedError} are for the
     * spectrum selection (null for greedy).
     */
    record SelectionPart(String mode, int evaluations, int reusedScores, double searchBaseline, Double probeRatio,
                         Map<String, Double> probeDrops, Double predictedError) {
    }

    record ScoresPart(double baseline, double compressed, double change, Map<String, Double> baselineMeasures,
                      Map<String, Double> compressedMeasures) {
    }

    record CostPart(long memoryBefore, long memoryAfter, long macsBefore, long macsAfter, double memoryRatio, double macRatio) {
    }

    /** {@code scoreThreshold} is null for the spectrum selection, which has none. */
    record TargetPart(double ratio, double achieved, double tolerance, boolean reached, Double scoreThreshold) {
    }

    /**
     * One candidate layer; {@code rank}, {@code ratio} and {@code relativeError} are null when it was kept; the
     * calibration fields are null for the plain method ({@code outputError} also when kept, {@code calibrationFallback}
     * unless the layer fell back to the plain split).
     */
    record LayerPart(String name, String op, List<Long> weightShape, int maxRank, boolean compressed, Integer rank, Double ratio,
                     Double relativeError, long paramsBefore, long paramsAfter, long macsBefore, long macsAfter,
                     String skipReason, String skipDetail, Double outputError, Long calibrationRows, Double gramShift,
                     String calibrationFallback) {
    }

    record EvalDictionaryPart(double baselineScore, boolean monotonicFit, List<EvalLayerPart> layers) {
    }

    /** One layer's scores; {@code fitted} is null without the monotonic fit. */
    record EvalLayerPart(String name, List<RatioScorePart> measured, List<RatioScorePart> fitted) {
    }

    record RatioScorePart(double ratio, double score) {
    }

    /** Index {@code i} of each list is rank {@code i + 1}. */
    record ErrorProfilePart(String layer, List<Double> relativeError, List<Long> params, List<Long> macs,
                            List<Double> outputError) {
    }

    /** Milliseconds, exact to the nanosecond. */
    record TimingsPart(BigDecimal svd, BigDecimal rewriting, BigDecimal evaluation, BigDecimal selection, BigDecimal writing,
                       BigDecimal total) {
    }

    record EnvironmentPart(String wsvdVersion, String jdk, String os, int availableProcessors, String simdImplementation,
                           int blasThreads, int evaluationParallelism) {
    }

    /** Inference latency of both models; {@code speedup} is the original's median over the compressed one's. */
    record LatencyPart(int threads, String workload, LatencyValuesPart original, LatencyValuesPart compressed, double speedup) {
    }

    record LatencyValuesPart(double medianMs, double p95Ms, int runs) {
    }

    /** {@code location} is null for a model passed in memory. */
    record ModelPart(String location, long sizeBytes) {
    }

    /** The document for {@code stats}. */
    static ReportDocument of(CompressionStats stats) {
        return new ReportDocument(JsonReport.FORMAT, JsonReport.FORMAT_VERSION, stats.mode().name().toLowerCase(Locale.ROOT),
                stats.costMetric().name().toLowerCase(Locale.ROOT), scores(stats.scores()), cost(stats.cost()),
                target(stats.target()), stats.layers().stream().map(ReportDocument::layer).toList(),
                evalDictionary(stats.evalDictionary()), stats.errorProfiles().stream().map(ReportDocument::errorProfile).toList(),
                timings(stats.timings()), environment(stats.environment()), model(stats.inputModel()), model(stats.outputModel()),
                stats.method().name().toLowerCase(Locale.ROOT).replace('_', '-'), stats.calibration() == null ? null
                        : new CalibrationPart(stats.calibration().source(), stats.calibration().samples(),
                                millis(stats.calibration().time()), refinement(stats.calibration().refinement())),
                stats.scoreSets() == null ? null : new ScoreSetsPart(stats.scoreSets().search(), stats.scoreSets().reported(),
                        stats.scoreSets().shared()),
                selection(stats.selection()), latency(stats.latency()));
    }

    private static SelectionPart selection(dev.wsvd.CompressionStats.SelectionSummary selection) {
        if (selection == null) {
            return null;
        }
        boolean spectrum = selection.mode() == dev.wsvd.SelectionMode.SPECTRUM;
        return new SelectionPart(selection.mode().name().toLowerCase(Locale.ROOT), selection.evaluations(),
                selection.reusedScores(), selection.searchBaseline(), spectrum ? selection.probeRatio() : null,
                spectrum ? selection.probeDrops() : null, spectrum ? selection.predictedError() : null);
    }

    private static LatencyPart latency(LatencyStats latency) {
        return latency == null ? null : new LatencyPart(latency.threads(), latency.workload(), latency(latency.original()),
                latency(latency.compressed()), latency.speedup());
    }

    private static LatencyValuesPart latency(Latency latency) {
        return new LatencyValuesPart(latency.medianMillis(), latency.p95Millis(), latency.runs());
    }

    private static ScoresPart scores(Scores scores) {
        return scores == null ? null : new ScoresPart(scores.baseline().value(), scores.compressed().value(), scores.change(),
                scores.baseline().measures(), scores.compressed().measures());
    }

    private static CostPart cost(CostTotals cost) {
        return new CostPart(cost.memoryBefore(), cost.memoryAfter(), cost.macsBefore(), cost.macsAfter(), cost.memoryRatio(),
                cost.macRatio());
    }

    private static TargetPart target(TargetOutcome target) {
        return target == null ? null
                : new TargetPart(target.target(), target.achieved(), target.tolerance(), target.reached(),
                        target.hasScoreThreshold() ? target.scoreThreshold() : null);
    }

    private static LayerPart layer(LayerStats layer) {
        LayerCalibration calibration = layer.calibration();
        Double outputError = calibration == null || Double.isNaN(calibration.outputError()) ? null : calibration.outputError();
        Long rows = calibration == null ? null : calibration.rows();
        Double shift = calibration == null ? null : calibration.gramShift();
        String fallback = calibration == null ? null : calibration.fallback();
        return switch (layer.outcome()) {
            case LayerOutcome.Compressed split -> new LayerPart(layer.name(), layer.op(), layer.weightShape(), layer.maxRank(),
                    true, split.rank(), split.ratio(), split.relativeError(), layer.paramsBefore(), layer.paramsAfter(),
                    layer.macsBefore(), layer.macsAfter(), null, null, outputError, rows, shift, fallback);
            case LayerOutcome.Kept kept -> new LayerPart(layer.name(), layer.op(), layer.weightShape(), layer.maxRank(), false,
                    null, null, null, layer.paramsBefore(), layer.paramsAfter(), layer.macsBefore(), layer.macsAfter(),
                    kept.reason().id(), kept.detail(), null, rows, shift, fallback);
        };
    }

    private static EvalDictionaryPart evalDictionary(EvalDictionary eval) {
        if (eval == null) {
            return null;
        }
        List<EvalLayerPart> layers = eval.measured().entrySet().stream().map(layer -> new EvalLayerPart(layer.getKey(),
                curve(layer.getValue()), eval.fitted().containsKey(layer.getKey()) ? curve(eval.fitted().get(layer.getKey())) : null))
                .toList();
        return new EvalDictionaryPart(eval.baselineScore(), eval.hasFit(), layers);
    }

    private static List<RatioScorePart> curve(SortedMap<Double, Double> curve) {
        return curve.entrySet().stream().map(point -> new RatioScorePart(point.getKey(), point.getValue())).toList();
    }

    private static ErrorProfilePart errorProfile(ErrorProfile profile) {
        return new ErrorProfilePart(profile.layer(), Arrays.stream(profile.relativeError()).boxed().toList(),
                Arrays.stream(profile.params()).boxed().toList(), Arrays.stream(profile.macs()).boxed().toList(),
                profile.outputError() == null ? null : Arrays.stream(profile.outputError()).boxed().toList());
    }

    private static TimingsPart timings(PhaseTimes times) {
        return new TimingsPart(millis(times.svd()), millis(times.rewriting()), millis(times.evaluation()),
                millis(times.selection()), millis(times.writing()), millis(times.total()));
    }

    /** Milliseconds with as many decimals as the nanoseconds need: {@code 48.123456}, {@code 21}, never {@code 1E+1}. */
    private static RefinementPart refinement(dev.wsvd.CompressionStats.CalibrationSummary.RefinementRun run) {
        return run == null ? null : new RefinementPart(run.passes(), run.layers(), run.residualLayers(), millis(run.time()));
    }

    private static BigDecimal millis(Duration duration) {
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(duration.getNano()));
        BigDecimal ms = new BigDecimal(nanos, 6).stripTrailingZeros();
        return ms.scale() < 0 ? ms.setScale(0) : ms;
    }

    private static EnvironmentPart environment(RunEnvironment env) {
        return new EnvironmentPart(env.wsvdVersion(), env.jdk(), env.os(), env.availableProcessors(), env.simdImplementation(),
                env.blasThreads(), env.evaluationParallelism());
    }

    private static ModelPart model(ModelFile model) {
        return model == null ? null : new ModelPart(model.location(), model.sizeBytes());
    }
}
