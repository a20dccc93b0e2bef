package dev.wsvd;

import dev.wsvd.CostMetric;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a compression run reports; the reference's {@code CompressionStats} and more. Build one with
 * {@link #builder(CompressionMode, CostMetric)}; render it with {@code dev.wsvd.report}.
 *
 * <p>Its parts ({@link LayerStats}, {@link LayerOutcome}, {@link CostTotals}, {@link PhaseTimes} and the others
 * below) are nested here, as they exist only as parts of the statistics: {@code import dev.wsvd.CompressionStats.LayerStats;}.
 *
 * @param mode          manual or auto
 * @param costMetric    the metric ratios were chosen in
 * @param scores        baseline and compressed score, or null when the run had no evaluator (auto mode always has one)
 * @param cost          memory and MAC totals before and after: both ratios, whatever the metric
 * @param target        auto mode: the target ratio and where the search ended; null in manual mode
 * @param layers        one row per candidate layer in model order, compressed or kept; at least one; names unique
 * @param evalDictionary auto mode: the eval dictionary; null in manual mode; its layers are rows of {@code layers}
 * @param errorProfiles per-rank error and cost curves for some or all layers (empty when not collected); each names
 *                      a row and covers ranks 1 to that row's max rank
 * @param timings       wall time per phase
 * @param environment   machine and settings of the run
 * @param inputModel    the model compressed
 * @param outputModel   the compressed model, or null when it was not serialised
 * @param method        how layers were split: plain (AIMET's) or data-aware
 * @param calibration   data-aware method: what it calibrated on; null for the plain method
 * @param scoreSets     which data the scores come from (search and reported, and whether they are the same), or
 *                      null when unknown or there are no scores
 * @param selection     auto mode: how the ranks were chosen and how many evaluations that took, or null
 * @param latency       inference latency of the original and the compressed model, or null when not measured
 *                      ({@link WeightSvdCompressor.Builder#latency(int)})
 */
public record CompressionStats(CompressionMode mode, CostMetric costMetric, Scores scores, CostTotals cost,
                               TargetOutcome target, List<LayerStats> layers, EvalDictionary evalDictionary,
                               List<ErrorProfile> errorProfiles, PhaseTimes timings, RunEnvironment environment,
                               ModelFile inputModel, ModelFile outputModel, Method method, CalibrationSummary calibration,
                               ScoreSets scoreSets, SelectionSummary selection,
                               LatencyStats latency) {
    /** Checks the mode's required parts, unique layer names, and that the eval dictionary and the profiles name existing rows. */
    public CompressionStats {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(costMetric, "cost metric");
        Objects.requireNonNull(cost, "cost totals");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(inputModel, "input model");
        Objects.requireNonNull(method, "method");
        if (method == Method.PLAIN && calibration != null) {
            throw new IllegalArgumentException("the plain method calibrates nothing; a calibration belongs to the data-aware method");
        }
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        errorProfiles = List.copyOf(Objects.requireNonNull(errorProfiles, "error profiles"));
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("compression statistics need at least one layer row");
        }
        Map<String, LayerStats> byName = new HashMap<>();
        for (LayerStats layer : layers) {
            if (byName.put(layer.name(), layer) != null) {
                throw new IllegalArgumentException("layer " + layer.name() + " appears twice in the statistics");
            }
        }
        switch (mode) {
            case AUTO -> {
                if (target == null || evalDictionary == null || scores == null) {
                    throw new IllegalArgumentException("auto mode statistics need the target outcome, the eval dictionary and the "
                            + "baseline and compressed scores; missing: " + missing(target, evalDictionary, scores));
                }
            }
            case MANUAL -> {
                if (target != null || evalDictionary != null || selection != null) {
                    throw new IllegalArgumentException("manual mode has no target ratio, eval dictionary or selection; set them only in"
                            + " auto mode");
                }
            }
        }
        if (evalDictionary != null) {
            for (String layer : evalDictionary.measured().keySet()) {
                if (!byName.containsKey(layer)) {
                    throw new IllegalArgumentException("the eval dictionary names layer " + layer + ", which has no row in the statistics");
                }
            }
        }
        Set<String> profiled = new HashSet<>();
        for (ErrorProfile profile : errorProfiles) {
            LayerStats layer = byName.get(profile.layer());
            if (layer == null) {
                throw new IllegalArgumentException("an error profile names layer " + profile.layer() + ", which has no row in the statistics");
            }
            if (!profiled.add(profile.layer())) {
                throw new IllegalArgumentException("layer " + profile.layer() + " has two error profiles");
            }
            if (profile.maxRank() != layer.maxRank()) {
                throw new IllegalArgumentException("the error profile of layer " + profile.layer() + " covers ranks 1.."
                        + profile.maxRank() + " but the layer's max rank is " + layer.maxRank());
            }
        }
    }

    /** A builder for the given mode and metric. */
    public static Builder builder(CompressionMode mode, CostMetric costMetric) {
        return new Builder(mode, costMetric);
    }

    /** The model's memory ratio (weight elements after over before). */
    public double memoryRatio() {
        return cost.memoryRatio();
    }

    /** The model's MAC ratio (multiply-accumulates after over before). */
    public double macRatio() {
        return cost.macRatio();
    }

    /** The row of the named layer, or null. */
    public LayerStats layer(String name) {
        for (LayerStats layer : layers) {
            if (layer.name().equals(name)) {
                return layer;
            }
        }
        return null;
    }

    /** The error profile of the named layer, or null. */
    public ErrorProfile errorProfile(String layer) {
        for (ErrorProfile profile : errorProfiles) {
            if (profile.layer().equals(layer)) {
                return profile;
            }
        }
        return null;
    }

    /** Number of layers that were split. */
    public int compressedLayerCount() {
        return (int) layers.stream().filter(LayerStats::isCompressed).count();
    }

    private static String missing(Object target, Object evalDictionary, Object scores) {
        List<String> names = new ArrayList<>();
        if (target == null) {
            names.add("target");
        }
        if (evalDictionary == null) {
            names.add("evalDictionary");
        }
        if (scores == null) {
            names.add("scores");
        }
        return String.join(", ", names);
    }

    /**
     * Builds {@link CompressionStats}. Required: layers, environment, input model. Defaults: the cost totals are
     * the sum of the rows ({@link CostTotals#sumOf}), timings all zero, no error profiles, no output model.
     */
    public static final class Builder {
        private final CompressionMode mode;
        private final CostMetric costMetric;
        private Scores scores;
        private CostTotals cost;
        private TargetOutcome target;
        private final List<LayerStats> layers = new ArrayList<>();
        private EvalDictionary evalDictionary;
        private final List<ErrorProfile> errorProfiles = new ArrayList<>();
        private PhaseTimes timings = PhaseTimes.builder().build();
        private RunEnvironment environment;
        private ModelFile inputModel;
        private ModelFile outputModel;
        private Method method = Method.PLAIN;
        private CalibrationSummary calibration;
        private ScoreSets scoreSets;
        private SelectionSummary selection;
        private LatencyStats latency;

        private Builder(CompressionMode mode, CostMetric costMetric) {
            this.mode = mode;
            this.costMetric = costMetric;
        }

        /** Baseline and compressed score. */
        public Builder scores(double baseline, double compressed) {
            this.scores = Scores.of(baseline, compressed);
            return this;
        }

        /** Baseline and compressed score, or null for a run without evaluator. */
        public Builder scores(Scores scores) {
            this.scores = scores;
            return this;
        }

        /** Which data the scores come from, or null when unknown. */
        public Builder scoreSets(ScoreSets scoreSets) {
            this.scoreSets = scoreSets;
            return this;
        }

        /** Auto mode: how the ranks were chosen, or null when unknown. */
        public Builder selection(SelectionSummary selection) {
            this.selection = selection;
            return this;
        }

        /** Explicit totals, when the model cost is not the sum of the rows. */
        public Builder cost(CostTotals cost) {
            this.cost = cost;
            return this;
        }

        /** Auto mode's target outcome. */
        public Builder target(TargetOutcome target) {
            this.target = target;
            return this;
        }

        /** Appends a layer row (rows keep the order they are added in). */
        public Builder layer(LayerStats layer) {
            layers.add(Objects.requireNonNull(layer, "layer"));
            return this;
        }

        /** Appends layer rows. */
        public Builder layers(List<LayerStats> rows) {
            rows.forEach(this::layer);
            return this;
        }

        /** Auto mode's eval dictionary. */
        public Builder evalDictionary(EvalDictionary evalDictionary) {
            this.evalDictionary = evalDictionary;
            return this;
        }

        /** Appends a layer's error profile. */
        public Builder errorProfile(ErrorProfile profile) {
            errorProfiles.add(Objects.requireNonNull(profile, "error profile"));
            return this;
        }

        /** Appends error profiles. */
        public Builder errorProfiles(List<ErrorProfile> profiles) {
            profiles.forEach(this::errorProfile);
            return this;
        }

        /** Wall time per phase; all zero when not set. */
        public Builder timings(PhaseTimes timings) {
            this.timings = timings;
            return this;
        }

        /** Machine and settings of the run (required); see {@link RunEnvironment#detect}. */
        public Builder environment(RunEnvironment environment) {
            this.environment = environment;
            return this;
        }

        /** The model that was compressed (required). */
        public Builder inputModel(ModelFile inputModel) {
            this.inputModel = inputModel;
            return this;
        }

        /** The compressed model as written, or null when it was not serialised. */
        public Builder outputModel(ModelFile outputModel) {
            this.outputModel = outputModel;
            return this;
        }

        /** How layers were split (default plain) and, for the data-aware method, what it calibrated on. */
        public Builder method(Method method, CalibrationSummary calibration) {
            this.method = Objects.requireNonNull(method, "method");
            this.calibration = calibration;
            return this;
        }

        /** Measured inference latency of both models, or null when not measured. */
        public Builder latency(LatencyStats latency) {
            this.latency = latency;
            return this;
        }

        /** The statistics; throws {@link IllegalArgumentException} naming the first violated precondition. */
        public CompressionStats build() {
            CostTotals totals = cost != null ? cost : layers.isEmpty() ? null : CostTotals.sumOf(layers);
            if (totals == null) {
                throw new IllegalArgumentException("compression statistics need at least one layer row");
            }
            return new CompressionStats(mode, costMetric, scores, totals, target, layers, evalDictionary, errorProfiles, timings,
                    environment, inputModel, outputModel, method, calibration, scoreSets, selection,
                    latency);
        }
    }

    /**
     * What the data-aware method calibrated on: the original model ran over these inputs once, and each split layer was
     * whitened by the Gram of its inputs there (the layers' own row counts and shifts are in {@link LayerStats#calibration()}).
     *
     * @param source  what the inputs were, e.g. {@code 1024 WordNet sentences (seed 424242, none of them scored)}
     * @param samples how many samples (sentences, images, first-axis rows) ran
     * @param time    wall time of the calibration run (ONNX Runtime and the Gram updates)
     * @param refinement the sequential refinement that ran after the ranks were chosen ({@link Refinement#SEQUENTIAL}),
     *                or null when none ran
     */
    public record CalibrationSummary(String source, int samples, Duration time, RefinementRun refinement) {
        /** Checks that the source is named, at least one sample ran and the time is given. */
        public CalibrationSummary {
            Checks.requireText(source, "calibration source");
            if (samples < 1) {
                throw new IllegalArgumentException("calibration ran on at least one sample, got " + samples);
            }
            Objects.requireNonNull(time, "calibration time");
        }

        /** A calibration without a refinement. */
        public CalibrationSummary(String source, int samples, Duration time) {
            this(source, samples, time, null);
        }

        /**
         * What the sequential refinement did: one calibration pass per distinct input of the refitted layers.
         *
         * @param passes         calibration passes run (each over the same calibration inputs, original and partly
         *                       compressed model side by side)
         * @param layers         split layers refitted
         * @param residualLayers of those, the ones whose target included the drift of the residual stream they add to
         * @param time           wall time of the refinement (passes and refits)
         */
        public record RefinementRun(int passes, int layers, int residualLayers, Duration time) {
            /** Checks the counts are consistent and the time is given. */
            public RefinementRun {
                if (passes < 0 || layers < 0 || residualLayers < 0 || residualLayers > layers) {
                    throw new IllegalArgumentException("a refinement runs passes >= 0 over layers >= residual layers >= 0,"
                            + " got " + passes + ", " + layers + ", " + residualLayers);
                }
                Objects.requireNonNull(time, "refinement time");
            }
        }
    }

    /**
     * Model cost before and after compression, in both metrics. As in the reference, the model cost is the sum
     * over the layers the compressor considers (every candidate layer, compressed or kept); other parameters
     * (embeddings, norms) are not counted.
     *
     * @param memoryBefore weight elements before compression, at least 1
     * @param memoryAfter  weight elements after compression
     * @param macsBefore   multiply-accumulates per forward pass before compression, at least 1
     * @param macsAfter    multiply-accumulates per forward pass after compression
     */
    public record CostTotals(long memoryBefore, long memoryAfter, long macsBefore, long macsAfter) {
        /** Checks that the original costs are positive and the compressed ones not negative. */
        public CostTotals {
            Checks.requirePositive(memoryBefore, "memoryBefore");
            Checks.requireNonNegative(memoryAfter, "memoryAfter");
            Checks.requirePositive(macsBefore, "macsBefore");
            Checks.requireNonNegative(macsAfter, "macsAfter");
        }

        /** Sum of the rows' costs before and after: kept layers count at their original cost. */
        public static CostTotals sumOf(List<LayerStats> layers) {
            Objects.requireNonNull(layers, "layers");
            long memoryBefore = 0, memoryAfter = 0, macsBefore = 0, macsAfter = 0;
            for (LayerStats layer : layers) {
                memoryBefore = Math.addExact(memoryBefore, layer.paramsBefore());
                memoryAfter = Math.addExact(memoryAfter, layer.paramsAfter());
                macsBefore = Math.addExact(macsBefore, layer.macsBefore());
                macsAfter = Math.addExact(macsAfter, layer.macsAfter());
            }
            return new CostTotals(memoryBefore, memoryAfter, macsBefore, macsAfter);
        }

        /** Memory after over memory before. */
        public double memoryRatio() {
            return (double) memoryAfter / memoryBefore;
        }

        /** MACs after over MACs before. */
        public double macRatio() {
            return (double) macsAfter / macsBefore;
        }

        /** The ratio in the given metric. */
        public double ratio(CostMetric metric) {
            return switch (metric) {
                case MAC -> macRatio();
                case MEMORY -> memoryRatio();
            };
        }
    }

    /**
     * Auto mode's eval dictionary: for each layer, the model's score with only that layer compressed, at each
     * candidate ratio (the reference's {@code {layer: {ratio: score}}}), and the baseline score of the
     * uncompressed model the candidates are compared with.
     *
     * <p>{@code measured} holds the scores as evaluated, at the candidate ratios, before the optional monotonic
     * fit and before the rounding pass; {@code fitted} holds the fit's values at the same candidate ratios. The
     * renderings mark each layer's chosen (rounded) ratio on the curve by linear interpolation, as the rounding
     * pass computes it. Ratios may come in as any {@link Number} (selection's exact {@code BigDecimal}s included);
     * they are kept as doubles.
     *
     * @param baselineScore score of the original model
     * @param measured      layer name to (ratio to score), layers in model order, ratios ascending; every layer
     *                      has at least one ratio
     * @param fitted        the same for the monotonic fit's values (non-decreasing in the ratio) when the fit was
     *                      used, empty otherwise; its layers are a subset of {@code measured}'s
     */
    public record EvalDictionary(double baselineScore, SequencedMap<String, SortedMap<Double, Double>> measured,
                             SequencedMap<String, SortedMap<Double, Double>> fitted) {
        /** Checks ratios and scores, and makes sorted, unmodifiable copies in the given layer order. */
        public EvalDictionary {
            Checks.requireFinite(baselineScore, "baseline score");
            measured = immutableCopy(measured, "measured");
            fitted = immutableCopy(fitted, "fitted");
            for (String layer : fitted.keySet()) {
                if (!measured.containsKey(layer)) {
                    throw new IllegalArgumentException("fitted scores name layer " + layer + ", which has no measured scores");
                }
            }
        }

        /** Measured scores only (no monotonic fit). */
        public static EvalDictionary of(double baselineScore, Map<String, ? extends Map<? extends Number, ? extends Number>> measured) {
            return new EvalDictionary(baselineScore, orderedCopy(measured), new LinkedHashMap<>());
        }

        /** Measured and fitted scores. */
        public static EvalDictionary of(double baselineScore, Map<String, ? extends Map<? extends Number, ? extends Number>> measured,
                                        Map<String, ? extends Map<? extends Number, ? extends Number>> fitted) {
            return new EvalDictionary(baselineScore, orderedCopy(measured), orderedCopy(fitted));
        }

        /** Whether a monotonic fit replaced the measured scores. */
        public boolean hasFit() {
            return !fitted.isEmpty();
        }

        /** The scores selection used for a layer: fitted when there is a fit, measured otherwise; null if unknown. */
        public SortedMap<Double, Double> selectionScores(String layer) {
            SortedMap<Double, Double> fit = fitted.get(layer);
            return fit != null ? fit : measured.get(layer);
        }

        private static SequencedMap<String, SortedMap<Double, Double>> orderedCopy(
                Map<String, ? extends Map<? extends Number, ? extends Number>> scores) {
            Objects.requireNonNull(scores, "scores");
            SequencedMap<String, SortedMap<Double, Double>> copy = new LinkedHashMap<>();
            scores.forEach((layer, curve) -> {
                if (curve == null) {
                    copy.put(layer, null);
                    return;
                }
                TreeMap<Double, Double> doubles = new TreeMap<>();
                curve.forEach((ratio, score) -> {
                    if (ratio == null || score == null) {
                        throw new IllegalArgumentException("scores of layer " + layer + " contain a null ratio or score");
                    }
                    doubles.put(ratio.doubleValue(), score.doubleValue());
                });
                copy.put(layer, doubles);
            });
            return copy;
        }

        private static SequencedMap<String, SortedMap<Double, Double>> immutableCopy(
                SequencedMap<String, SortedMap<Double, Double>> scores, String what) {
            Objects.requireNonNull(scores, what);
            SequencedMap<String, SortedMap<Double, Double>> copy = new LinkedHashMap<>();
            scores.forEach((layer, curve) -> {
                Checks.requireText(layer, "layer name in " + what + " scores");
                if (curve == null || curve.isEmpty()) {
                    throw new IllegalArgumentException(what + " scores of layer " + layer + " are empty");
                }
                TreeMap<Double, Double> sorted = new TreeMap<>();
                curve.forEach((ratio, score) -> {
                    if (ratio == null || score == null) {
                        throw new IllegalArgumentException(what + " scores of layer " + layer + " contain a null ratio or score");
                    }
                    Checks.requireRatio(ratio, what + " ratio of layer " + layer);
                    Checks.requireFinite(score, what + " score of layer " + layer + " at ratio " + ratio);
                    sorted.put(ratio, score);
                });
                copy.put(layer, Collections.unmodifiableSortedMap(sorted));
            });
            return Collections.unmodifiableSequencedMap(copy);
        }
    }

    /**
     * Inference latency of the original and the compressed model, measured the same way one after the other in this
     * process with ONNX Runtime: what the MAC ratio promises, checked. See {@link WeightSvdCompressor.Builder#latency(int)}.
     *
     * @param original   the original model's pass time
     * @param compressed the compressed model's pass time
     * @param threads    ONNX Runtime intra-op threads the passes ran with
     * @param workload   what one pass computes, e.g. {@code 128 sentences in 8 batches (the evaluator's inputs)}
     */
    public record LatencyStats(Latency original, Latency compressed, int threads, String workload) {
        /** Checks every part is given and the thread count is positive. */
        public LatencyStats {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(compressed, "compressed");
            Objects.requireNonNull(workload, "workload");
            if (threads < 1) {
                throw new IllegalArgumentException("latency threads must be at least 1, got " + threads);
            }
        }

        /** Median original time over median compressed time: above 1 when the compressed model is faster. */
        public double speedup() {
            return compressed.medianMillis() == 0 ? Double.POSITIVE_INFINITY : original.medianMillis() / compressed.medianMillis();
        }
    }

    /**
     * How the data-aware method treated one layer: whitened by its inputs' Gram ({@code rows} input rows, shifted by
     * {@code gramShift} of its mean diagonal to factor, predicted relative output error {@code outputError} at the chosen
     * rank), or split plainly for the reason in {@code fallback}.
     *
     * @param rows        input rows summed into the Gram (tokens, pixel positions, samples); 0 for a fallback
     * @param gramShift   the diagonal shift the Cholesky factorization needed, relative to the mean diagonal; 0 when none
     * @param outputError {@code ||(W - W_r)·X|| / ||W·X||} at the chosen rank on the calibration inputs; NaN when the layer
     *                    was kept or fell back
     * @param fallback    why the layer got the plain split instead, or null when it was whitened
     */
    public record LayerCalibration(long rows, double gramShift, double outputError, String fallback) {
        /** Checks that rows and shift are not negative and that a fallback gives its reason. */
        public LayerCalibration {
            if (rows < 0 || !(gramShift >= 0)) {
                throw new IllegalArgumentException("calibration rows and Gram shift must not be negative, got " + rows + " and " + gramShift);
            }
            if (fallback != null && fallback.isBlank()) {
                throw new IllegalArgumentException("a calibration fallback needs a reason");
            }
        }

        /** The layer was whitened by {@code rows} input rows. */
        public static LayerCalibration whitened(long rows, double gramShift, double outputError) {
            return new LayerCalibration(rows, gramShift, outputError, null);
        }

        /** The layer got the plain split, for {@code reason}. */
        public static LayerCalibration fellBack(String reason) {
            return new LayerCalibration(0, 0, Double.NaN, reason);
        }

        /** Whether the layer was whitened (not a fallback). */
        public boolean isWhitened() {
            return fallback == null;
        }
    }

    /** What happened to one candidate layer: split at a rank, or kept as it was (and why). */
    public sealed interface LayerOutcome {

        /**
         * The layer was split into two layers at {@code rank}.
         *
         * @param rank          the rank kept, at least 1 (at most the layer's max rank, checked by {@link LayerStats})
         * @param ratio         the chosen ratio in the selection's cost metric, after rank rounding, in (0, 1]
         * @param relativeError {@code ||W - W_r||_F / ||W||_F} of the truncation, in [0, 1]
         * @param paramsAfter   weight elements of the two new layers together
         * @param macsAfter     multiply-accumulates of the two new layers together
         */
        record Compressed(int rank, double ratio, double relativeError, long paramsAfter, long macsAfter) implements LayerOutcome {
            /** Slack above 1 for an error computed from a spectrum's partial sums. */
            private static final double ERROR_SLACK = 1e-6;

            /** Checks rank, ratio, error and costs. */
            public Compressed {
                if (rank < 1) {
                    throw new IllegalArgumentException("rank must be at least 1, got " + rank);
                }
                Checks.requireRatio(ratio, "ratio");
                if (!(relativeError >= 0 && relativeError <= 1 + ERROR_SLACK)) {
                    throw new IllegalArgumentException("relative error must be in [0, 1], got " + relativeError);
                }
                Checks.requirePositive(paramsAfter, "paramsAfter");
                Checks.requirePositive(macsAfter, "macsAfter");
            }
        }

        /**
         * The layer was left unchanged.
         *
         * @param reason why
         * @param detail more specific text (such as {@code groups = 32} or the pattern that matched), or null
         */
        record Kept(SkipReason reason, String detail) implements LayerOutcome {
            /** Requires a reason; a blank detail becomes null. */
            public Kept {
                Objects.requireNonNull(reason, "reason");
                if (detail != null && detail.isBlank()) {
                    detail = null;
                }
            }

            /** Kept for a reason that needs no detail. */
            public static Kept because(SkipReason reason) {
                return new Kept(reason, null);
            }

            /** The reason's label, with the detail after a colon when there is one: {@code ignored: conv1}. */
            public String describe() {
                return detail == null ? reason.label() : reason.label() + ": " + detail;
            }
        }
    }

    /**
     * One candidate layer of the model: its cost before, and what compression did to it.
     *
     * @param name         the layer's name in the model (an ONNX node name such as
     *                     {@code /encoder/layer.0/attention/self/query/MatMul})
     * @param op           the op or layer kind, such as {@code Conv}, {@code Gemm}, {@code MatMul}
     * @param weightShape  the weight's shape as stored in the model
     * @param maxRank      the rank at ratio 1.0 (the reference's {@code r_max}), at least 1
     * @param paramsBefore weight elements of the original layer, at least 1
     * @param macsBefore   multiply-accumulates of the original layer per forward pass, at least 1
     * @param outcome      split at a rank, or kept with a reason
     * @param calibration  data-aware method: the layer's calibration (whitened, or why not); null for the plain method and
     *                     for layers the run never decomposed
     */
    public record LayerStats(String name, String op, List<Long> weightShape, int maxRank, long paramsBefore, long macsBefore,
                             LayerOutcome outcome, LayerCalibration calibration) {
        /** Checks every field and that a compressed rank does not exceed the max rank. */
        public LayerStats {
            Checks.requireText(name, "layer name");
            Checks.requireText(op, "op of layer " + name);
            weightShape = List.copyOf(Objects.requireNonNull(weightShape, () -> "weight shape of layer " + name));
            if (weightShape.stream().anyMatch(dim -> dim < 0)) {
                throw new IllegalArgumentException("weight shape of layer " + name + " has a negative dimension: " + weightShape);
            }
            if (maxRank < 1) {
                throw new IllegalArgumentException("max rank of layer " + name + " must be at least 1, got " + maxRank);
            }
            Checks.requirePositive(paramsBefore, "paramsBefore of layer " + name);
            Checks.requirePositive(macsBefore, "macsBefore of layer " + name);
            Objects.requireNonNull(outcome, () -> "outcome of layer " + name);
            if (outcome instanceof LayerOutcome.Compressed compressed && compressed.rank() > maxRank) {
                throw new IllegalArgumentException("layer " + name + " was compressed to rank " + compressed.rank()
                        + ", above its max rank " + maxRank);
            }
        }

        /** A row of the plain method (no calibration). */
        public LayerStats(String name, String op, List<Long> weightShape, int maxRank, long paramsBefore, long macsBefore,
                          LayerOutcome outcome) {
            this(name, op, weightShape, maxRank, paramsBefore, macsBefore, outcome, null);
        }

        /** A builder for a row; name, op, weight shape, costs and an outcome are required. */
        public static Builder builder(String name) {
            return new Builder(name);
        }

        /** Whether the layer was split. */
        public boolean isCompressed() {
            return outcome instanceof LayerOutcome.Compressed;
        }

        /** The split, or null when the layer was kept. */
        public LayerOutcome.Compressed compressed() {
            return outcome instanceof LayerOutcome.Compressed compressed ? compressed : null;
        }

        /** Weight elements after compression: the original count when the layer was kept. */
        public long paramsAfter() {
            return outcome instanceof LayerOutcome.Compressed compressed ? compressed.paramsAfter() : paramsBefore;
        }

        /** Multiply-accumulates after compression: the original count when the layer was kept. */
        public long macsAfter() {
            return outcome instanceof LayerOutcome.Compressed compressed ? compressed.macsAfter() : macsBefore;
        }

        /** Builds a {@link LayerStats}. */
        public static final class Builder {
            private final String name;
            private String op;
            private List<Long> weightShape;
            private int maxRank;
            private long paramsBefore;
            private long macsBefore;
            private LayerOutcome outcome;
            private LayerCalibration calibration;

            private Builder(String name) {
                this.name = name;
            }

            /** The op or layer kind: {@code Conv}, {@code Gemm}, {@code MatMul}... */
            public Builder op(String op) {
                this.op = op;
                return this;
            }

            /** The weight's shape as stored in the model. */
            public Builder weightShape(long... dims) {
                this.weightShape = java.util.Arrays.stream(dims).boxed().toList();
                return this;
            }

            /** The rank at ratio 1.0. */
            public Builder maxRank(int maxRank) {
                this.maxRank = maxRank;
                return this;
            }

            /** Weight elements and multiply-accumulates of the original layer. */
            public Builder costBefore(long params, long macs) {
                this.paramsBefore = params;
                this.macsBefore = macs;
                return this;
            }

            /** The layer was split: see {@link LayerOutcome.Compressed}. */
            public Builder compressed(int rank, double ratio, double relativeError, long paramsAfter, long macsAfter) {
                this.outcome = new LayerOutcome.Compressed(rank, ratio, relativeError, paramsAfter, macsAfter);
                return this;
            }

            /** The layer was kept, with a reason and an optional detail (null for none). */
            public Builder kept(SkipReason reason, String detail) {
                this.outcome = new LayerOutcome.Kept(reason, detail);
                return this;
            }

            /** The outcome as a value. */
            public Builder outcome(LayerOutcome outcome) {
                this.outcome = outcome;
                return this;
            }

            /** Data-aware method: how the layer was calibrated. */
            public Builder calibration(LayerCalibration calibration) {
                this.calibration = calibration;
                return this;
            }

            /** The row; throws {@link IllegalArgumentException} naming the layer and the field when one is missing or invalid. */
            public LayerStats build() {
                return new LayerStats(name, op, weightShape, maxRank, paramsBefore, macsBefore, outcome, calibration);
            }
        }
    }

    /**
     * A model that went into or came out of a run.
     *
     * @param location  where it was read from or written to (a path as given, or a resource name such as
     *                  {@code classpath:all-minilm-l6-v2.onnx}), or null when it only lived in memory
     * @param sizeBytes its serialised size in bytes
     */
    public record ModelFile(String location, long sizeBytes) {
        /** Checks that a location, when given, is not blank and that the size is not negative. */
        public ModelFile {
            if (location != null) {
                Checks.requireText(location, "model location");
            }
            Checks.requireNonNegative(sizeBytes, "model size in bytes");
        }

        /** A model file at {@code path} of {@code sizeBytes} bytes. */
        public static ModelFile at(Path path, long sizeBytes) {
            return new ModelFile(path.toString(), sizeBytes);
        }

        /** A model that was only passed as bytes or a buffer. */
        public static ModelFile inMemory(long sizeBytes) {
            return new ModelFile(null, sizeBytes);
        }
    }

    /**
     * Wall time per phase of a run. The phases are disjoint and add up to at most {@code total}, the run's wall
     * time from start to end (the rest is set-up: reading the model, planning); a parallel candidate sweep's wall
     * time is shared between rewriting and evaluation in proportion to the workers' time in each. A phase that did
     * not happen is {@link Duration#ZERO}.
     *
     * @param svd        decomposing the layers' weights (one SVD per layer)
     * @param rewriting  building factor pairs and rewritten models (for the final model and for candidates)
     * @param evaluation running the evaluator (baseline, candidates, compressed model)
     * @param selection  choosing ratios once the scores are in: auto mode's fit, rounding and search, or manual mode's resolution
     * @param writing    serialising and writing the compressed model
     * @param total      the whole run
     */
    public record PhaseTimes(Duration svd, Duration rewriting, Duration evaluation, Duration selection, Duration writing,
                             Duration total) {
        /** Checks that every time is given and not negative. */
        public PhaseTimes {
            requireNonNegative(svd, "svd");
            requireNonNegative(rewriting, "rewriting");
            requireNonNegative(evaluation, "evaluation");
            requireNonNegative(selection, "selection");
            requireNonNegative(writing, "writing");
            requireNonNegative(total, "total");
        }

        /** A builder with every phase at zero; {@code total} defaults to the sum of the phases. */
        public static Builder builder() {
            return new Builder();
        }

        private static void requireNonNegative(Duration duration, String phase) {
            Objects.requireNonNull(duration, () -> phase + " time");
            if (duration.isNegative()) {
                throw new IllegalArgumentException(phase + " time must not be negative, got " + duration);
            }
        }

        /** Builds {@link PhaseTimes}. */
        public static final class Builder {
            private Duration svd = Duration.ZERO;
            private Duration rewriting = Duration.ZERO;
            private Duration evaluation = Duration.ZERO;
            private Duration selection = Duration.ZERO;
            private Duration writing = Duration.ZERO;
            private Duration total;

            private Builder() {
            }

            /** Time decomposing the layers' weights. */
            public Builder svd(Duration time) {
                this.svd = time;
                return this;
            }

            /** Time building factor pairs and rewritten models. */
            public Builder rewriting(Duration time) {
                this.rewriting = time;
                return this;
            }

            /** Time in the evaluator. */
            public Builder evaluation(Duration time) {
                this.evaluation = time;
                return this;
            }

            /** Time choosing ratios (auto mode's eval dictionary and search, manual mode's resolution). */
            public Builder selection(Duration time) {
                this.selection = time;
                return this;
            }

            /** Time serialising and writing the compressed model. */
            public Builder writing(Duration time) {
                this.writing = time;
                return this;
            }

            /** The run's wall time; when not set, the sum of the phases. */
            public Builder total(Duration time) {
                this.total = time;
                return this;
            }

            /** The phase times; the total is the sum of the phases unless set. */
            public PhaseTimes build() {
                Duration sum = total != null ? total
                        : Objects.requireNonNull(svd, "svd time").plus(Objects.requireNonNull(rewriting, "rewriting time"))
                        .plus(Objects.requireNonNull(evaluation, "evaluation time")).plus(Objects.requireNonNull(selection, "selection time"))
                        .plus(Objects.requireNonNull(writing, "writing time"));
                return new PhaseTimes(svd, rewriting, evaluation, selection, writing, sum);
            }
        }
    }

    /**
     * Facts about the machine and settings a run used, so that times and scores can be compared across runs.
     *
     * @param wsvdVersion           the wsvd version
     * @param jdk                   the Java runtime, such as {@code Eclipse Adoptium 25+36-LTS}
     * @param os                    operating system and architecture, such as {@code Linux amd64}
     * @param availableProcessors   processors the JVM saw
     * @param simdImplementation    the vector kernel implementation in use, such as {@code Panama 256-bit} or {@code scalar}
     * @param blasThreads           OpenBLAS threads for a single decomposition
     * @param evaluationParallelism candidate evaluations run at the same time (1 = sequential)
     */
    public record RunEnvironment(String wsvdVersion, String jdk, String os, int availableProcessors, String simdImplementation,
                                 int blasThreads, int evaluationParallelism) {
        /** Checks that the texts are not blank and the counts at least 1. */
        public RunEnvironment {
            Checks.requireText(wsvdVersion, "wsvd version");
            Checks.requireText(jdk, "jdk");
            Checks.requireText(os, "os");
            Checks.requirePositive(availableProcessors, "available processors");
            Checks.requireText(simdImplementation, "SIMD implementation");
            Checks.requirePositive(blasThreads, "BLAS threads");
            Checks.requirePositive(evaluationParallelism, "evaluation parallelism");
        }

        /** The settings given plus the JDK, OS and processor count of the running JVM. */
        public static RunEnvironment detect(String wsvdVersion, String simdImplementation, int blasThreads, int evaluationParallelism) {
            Objects.requireNonNull(wsvdVersion, "wsvdVersion");
            String vendor = System.getProperty("java.vendor", "").trim();
            String jdk = (vendor.isEmpty() ? "" : vendor + " ") + Runtime.version();
            String os = System.getProperty("os.name", "unknown") + " " + System.getProperty("os.arch", "");
            return new RunEnvironment(wsvdVersion, jdk, os.trim(), Runtime.getRuntime().availableProcessors(), simdImplementation,
                    blasThreads, evaluationParallelism);
        }
    }

    /**
     * Which data each score was measured on. The search data is what auto mode's candidate or probe evaluations
     * scored (what the selection optimised); the reported data is what the baseline and compressed scores in the
     * statistics come from. The built-in evaluators keep the two apart (a held-out set), so the reported score is
     * not the one the search tuned for; any other evaluator scores both on its one data set, and {@link #shared()}
     * says so.
     *
     * @param search   the search data in words, with its size (e.g. "64 WordNet pairs, seed 20240531")
     * @param reported the data of the reported scores in words, with its size
     * @param shared   whether the two are the same data
     */
    public record ScoreSets(String search, String reported, boolean shared) {
        /** Checks that both are described. */
        public ScoreSets {
            Objects.requireNonNull(search, "search");
            Objects.requireNonNull(reported, "reported");
        }

        /** One data set for both (an evaluator without a held-out set). */
        public static ScoreSets sharedBy(String data) {
            return new ScoreSets(data, data, true);
        }
    }

    /**
     * The evaluator's score of the original and of the compressed model, with any further measures the evaluator
     * reported for each (for example retrieval accuracy next to the mean cosine).
     *
     * @param baseline   score of the original model
     * @param compressed score of the compressed model
     */
    public record Scores(Score baseline, Score compressed) {
        /** Checks that both are given. */
        public Scores {
            Objects.requireNonNull(baseline, "baseline score");
            Objects.requireNonNull(compressed, "compressed score");
        }

        /** Both scores without further measures. */
        public static Scores of(double baseline, double compressed) {
            return new Scores(Score.of(baseline), Score.of(compressed));
        }

        /** Compressed minus baseline score: negative when compression cost score. */
        public double change() {
            return compressed.value() - baseline.value();
        }
    }

    /**
     * How auto mode chose its ranks, and what that cost in evaluations.
     *
     * @param mode           greedy (AIMET's search over every candidate ratio) or spectrum (one probe per layer)
     * @param evaluations    candidate or probe evaluations run by this run, on the search data (not counting the
     *                       original's and the compressed model's scores)
     * @param reusedScores   candidate or probe scores taken from the scores file instead of evaluated
     * @param searchBaseline the original model's score on the search data (what the candidates' or probes' scores
     *                       are compared with)
     * @param probeRatio     spectrum: the ratio each layer was probed at (its rank for that ratio); 0 for greedy
     * @param probeDrops     spectrum: layer &rarr; search baseline minus its probe's score (the layer's measured
     *                       sensitivity; negative when the probe scored higher), in model order; empty for greedy
     * @param predictedError spectrum: the allocation's summed predicted score loss; 0 for greedy
     */
    public record SelectionSummary(SelectionMode mode, int evaluations, int reusedScores, double searchBaseline, double probeRatio,
                                   Map<String, Double> probeDrops, double predictedError) {
        /** Checks the counts and copies the drops. */
        public SelectionSummary {
            Objects.requireNonNull(mode, "mode");
            if (evaluations < 0 || reusedScores < 0) {
                throw new IllegalArgumentException("evaluation counts must not be negative, got " + evaluations + " and " + reusedScores);
            }
            Checks.requireFinite(searchBaseline, "search baseline");
            Checks.requireFinite(probeRatio, "probe ratio");
            Checks.requireFinite(predictedError, "predicted error");
            probeDrops = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(probeDrops, "probeDrops")));
            probeDrops.forEach((layer, drop) -> Checks.requireFinite(drop, "the probe drop of " + layer));
        }

        /** Greedy selection's summary. */
        public static SelectionSummary greedy(int evaluations, int reusedScores, double searchBaseline) {
            return new SelectionSummary(SelectionMode.GREEDY, evaluations, reusedScores, searchBaseline, 0, Map.of(), 0);
        }
    }

    /**
     * Why a candidate layer was left as it was. Reported for every kept layer, so nothing is skipped silently
     * (the reference skips grouped, depthwise and transposed convolutions without a word).
     */
    public enum SkipReason {
        /** The user excluded it (ignore list or pattern). */
        IGNORED("ignored"),
        /** Manual mode: no ratio was given for this layer. */
        NO_RATIO_GIVEN("no ratio given"),
        /** Auto mode: at every candidate ratio the score fell below the selected threshold. */
        NOT_SELECTED("not selected"),
        /** A split at the chosen rank would not be cheaper than the original layer. */
        NO_SAVING("would not save"),
        /** A grouped or depthwise convolution, which a rank split does not help. */
        GROUPED_CONV("grouped/depthwise conv"),
        /** Quantized weights (for example behind DequantizeLinear): factoring them would change their meaning. */
        QUANTIZED("quantized"),
        /** An op, layout or weight source the split does not handle (shared or computed weights, transposed convs...). */
        UNSUPPORTED("unsupported");

        private final String label;

        SkipReason(String label) {
            this.label = label;
        }

        /** Short human text for tables, such as {@code would not save}. */
        public String label() {
            return label;
        }

        /** The stable identifier used in JSON: the constant's name in lower case, such as {@code no_saving}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where auto mode's search for a target model ratio ended. The search is over the score threshold, and the
     * model ratio moves in steps as layers change their chosen ratio, so a target can be out of reach: then the
     * selection stops at the closest reachable point, and {@link #reached()} says so.
     *
     * @param target         the requested model ratio in the cost metric, in (0, 1]
     * @param achieved       the model ratio of the chosen per-layer ratios, in (0, 1]
     * @param tolerance      how close counts as reached (the reference uses {@value #DEFAULT_TOLERANCE})
     * @param scoreThreshold the score threshold the greedy search settled on: every compressed layer's score at its
     *                       chosen ratio is at least this; NaN for the spectrum selection, which has none
     */
    public record TargetOutcome(double target, double achieved, double tolerance, double scoreThreshold) {
        /** The reference's tolerance: the search stops when the model ratio is within this of the target. */
        public static final double DEFAULT_TOLERANCE = 0.001;

        /** Slack for rounding in the caller's own |achieved - target| <= tolerance test. */
        private static final double ROUNDING_SLACK = 1e-12;

        /** Checks that target and achieved are ratios in (0, 1], the tolerance is not negative and the threshold is finite. */
        public TargetOutcome {
            Checks.requireRatio(target, "target ratio");
            Checks.requireRatio(achieved, "achieved ratio");
            Checks.requireFinite(tolerance, "tolerance");
            if (tolerance < 0) {
                throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
            }
            if (Double.isInfinite(scoreThreshold)) {
                throw new IllegalArgumentException("score threshold must be finite (or NaN for none), got " + scoreThreshold);
            }
        }

        /** An outcome with no score threshold (the spectrum selection's), with the reference's tolerance. */
        public static TargetOutcome withoutThreshold(double target, double achieved) {
            return new TargetOutcome(target, achieved, DEFAULT_TOLERANCE, Double.NaN);
        }

        /** Whether the search had a score threshold (greedy selection). */
        public boolean hasScoreThreshold() {
            return !Double.isNaN(scoreThreshold);
        }

        /** An outcome with the reference's tolerance. */
        public static TargetOutcome of(double target, double achieved, double scoreThreshold) {
            return new TargetOutcome(target, achieved, DEFAULT_TOLERANCE, scoreThreshold);
        }

        /** Whether the achieved ratio is within the tolerance of the target; otherwise it is the closest reachable. */
        public boolean reached() {
            return Math.abs(achieved - target) <= tolerance + ROUNDING_SLACK;
        }
    }

    /**
     * A layer's truncation error and cost at every rank, from one SVD: what a plot of error against rank (or
     * against cost) needs. Index {@code i} holds rank {@code i + 1}; the arrays are as long as the layer's max rank.
     *
     * @param layer         the layer's name
     * @param relativeError {@code ||W - W_r||_F / ||W||_F} per rank, each in [0, 1]
     * @param params        weight elements of the split pair per rank
     * @param macs          multiply-accumulates of the split pair per rank
     * @param outputError   data-aware split: {@code ||(W - W_r)·X|| / ||W·X||} per rank on the calibration inputs, each in
     *                      [0, 1]; null for a plain split
     */
    public record ErrorProfile(String layer, double[] relativeError, long[] params, long[] macs, double[] outputError) {
        /** Checks that the arrays are equally long, non-empty and in range, and copies them. */
        public ErrorProfile {
            Checks.requireText(layer, "layer name of an error profile");
            if (relativeError == null || params == null || macs == null) {
                throw new IllegalArgumentException("error profile of layer " + layer + " needs errors, params and MACs per rank");
            }
            if (relativeError.length == 0 || relativeError.length != params.length || relativeError.length != macs.length) {
                throw new IllegalArgumentException("error profile of layer " + layer + " needs one entry per rank in each array, got "
                        + relativeError.length + " errors, " + params.length + " params, " + macs.length + " MACs");
            }
            if (outputError != null && outputError.length != relativeError.length) {
                throw new IllegalArgumentException("error profile of layer " + layer + " needs one output error per rank, got "
                        + outputError.length + " for " + relativeError.length + " ranks");
            }
            outputError = outputError == null ? null : outputError.clone();
            if (outputError != null) {
                for (int i = 0; i < outputError.length; i++) {
                    if (!(outputError[i] >= 0 && outputError[i] <= 1 + 1e-6)) {
                        throw new IllegalArgumentException("output error of layer " + layer + " at rank " + (i + 1)
                                + " must be in [0, 1], got " + outputError[i]);
                    }
                }
            }
            relativeError = relativeError.clone();
            params = params.clone();
            macs = macs.clone();
            for (int i = 0; i < relativeError.length; i++) {
                if (!(relativeError[i] >= 0 && relativeError[i] <= 1 + 1e-6)) {
                    throw new IllegalArgumentException("relative error of layer " + layer + " at rank " + (i + 1)
                            + " must be in [0, 1], got " + relativeError[i]);
                }
                Checks.requirePositive(params[i], "params of layer " + layer + " at rank " + (i + 1));
                Checks.requirePositive(macs[i], "MACs of layer " + layer + " at rank " + (i + 1));
            }
        }

        /** A plain split's profile (weight error only). */
        public ErrorProfile(String layer, double[] relativeError, long[] params, long[] macs) {
            this(layer, relativeError, params, macs, null);
        }

        /** The highest rank the profile covers. */
        public int maxRank() {
            return relativeError.length;
        }

        /** Relative error at {@code rank} (1-based). */
        public double relativeErrorAt(int rank) {
            checkRank(rank);
            return relativeError[rank - 1];
        }

        /** Weight elements of the split pair at {@code rank} (1-based). */
        public long paramsAt(int rank) {
            checkRank(rank);
            return params[rank - 1];
        }

        /** Multiply-accumulates of the split pair at {@code rank} (1-based). */
        public long macsAt(int rank) {
            checkRank(rank);
            return macs[rank - 1];
        }

        private void checkRank(int rank) {
            if (rank < 1 || rank > relativeError.length) {
                throw new IndexOutOfBoundsException("rank " + rank + " is outside 1.." + relativeError.length + " for layer " + layer);
            }
        }

        /** A copy of the relative error per rank (index {@code i} is rank {@code i + 1}). */
        @Override
        public double[] relativeError() {
            return relativeError.clone();
        }

        /** A copy of the weight elements per rank. */
        @Override
        public long[] params() {
            return params.clone();
        }

        /** A copy of the multiply-accumulates per rank. */
        @Override
        public long[] macs() {
            return macs.clone();
        }

        /** A copy of the output error per rank, or null for a plain split. */
        @Override
        public double[] outputError() {
            return outputError == null ? null : outputError.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ErrorProfile that && layer.equals(that.layer) && Arrays.equals(relativeError, that.relativeError)
                    && Arrays.equals(params, that.params) && Arrays.equals(macs, that.macs)
                    && Arrays.equals(outputError, that.outputError);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * (31 * layer.hashCode() + Arrays.hashCode(relativeError)) + Arrays.hashCode(params))
                    + Arrays.hashCode(macs)) + Arrays.hashCode(outputError);
        }

        @Override
        public String toString() {
            return "ErrorProfile[" + layer + ", ranks 1.." + relativeError.length + "]";
        }
    }
}
