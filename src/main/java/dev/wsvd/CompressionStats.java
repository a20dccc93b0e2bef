package dev.wsvd;

import dev.wsvd.CostMetric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a compression run reports; the reference's {@code CompressionStats} and more. Build one with
 * {@link #builder(CompressionMode, CostMetric)}; render it with {@code dev.wsvd.report}.
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
}
