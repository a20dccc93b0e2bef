package dev.wsvd;

import dev.wsvd.onnx.InputShapes;
import dev.wsvd.selection.GreedyParameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Weight SVD compression of an ONNX model, in process: each chosen Linear (MatMul, Gemm) or Conv layer is split
 * by truncated SVD into two thinner layers, at ratios given per layer (manual mode) or chosen by AIMET's greedy
 * search for a target model ratio (auto mode). A compressor holds only its settings; each {@link #compress}
 * call is an independent run, and a compressor may be reused and shared between threads.
 *
 * <pre>{@code
 * // manual: every layer at half its MACs, ranks rounded up to multiples of 8
 * WeightSvdCompressor manual = WeightSvdCompressor.builder().ratio(0.5).multiplicity(8).build();
 * // auto: 80% of the MACs, each layer's ratio chosen by scoring candidates
 * WeightSvdCompressor auto = WeightSvdCompressor.builder().target(0.8).evaluator(fidelity).build();
 * try (CompressionResult result = auto.compress(ModelSource.of(modelBytes))) {
 *     ByteBuffer compressed = result.toDirectByteBuffer();
 * }
 * }</pre>
 */
public final class WeightSvdCompressor {
    /** Candidate ratios per layer in auto mode when none are given: AIMET's default. */
    public static final int DEFAULT_CANDIDATES = GreedyParameters.DEFAULT_CANDIDATES;
    /**
     * Calibration samples taken from an evaluator when none are asked for: 1,024 sentences (512 WordNet pairs) or
     * images. For all-MiniLM-L6-v2, 512 to 1,024 sentences gave nearly all of the gain of 4,096.
     */
    public static final int DEFAULT_CALIBRATION_SAMPLES = 1024;

    private final WeightSvdParameters parameters;
    private final Evaluator evaluator;
    private final CompressionRun.Settings settings;

    private WeightSvdCompressor(WeightSvdParameters parameters, Evaluator evaluator, CompressionRun.Settings settings) {
        this.parameters = parameters;
        this.evaluator = evaluator;
        this.settings = settings;
    }

    /** This library's version, as the build stamped it (for example {@code 0.1.0-SNAPSHOT}). */
    public static String version() {
        return Version.VALUE;
    }

    /** A builder: choose manual mode ({@link Builder#ratio}, {@link Builder#layerRatio}) or auto mode ({@link Builder#target}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Compresses {@code model} and keeps the result in memory.
     *
     * @param model the model: a file (mapped, not copied), a direct buffer or bytes; never modified
     * @throws ModelFormatException if the model is not a valid ONNX model or holds NaN or infinite weights
     * @throws CompressionException if the model cannot be compressed, a candidate cannot be evaluated, or the run
     *                              is interrupted; the message names the model, layer or file and what to do
     */
    public CompressionResult compress(ModelSource model) throws CompressionException {
        return run(model, null);
    }

    /**
     * Compresses {@code model} and writes the result to {@code output} atomically (a temporary file in the
     * same folder, moved into place); the write is part of the run's timings and statistics.
     *
     * @throws CompressionException as {@link #compress(ModelSource)}, or if {@code output} cannot be written: a
     *                              folder, in a folder that does not exist or is not writable, or the input file are
     *                              refused before any work, with the command line's messages
     */
    public CompressionResult compress(ModelSource model, Path output) throws CompressionException {
        return run(model, Objects.requireNonNull(output, "output"));
    }

    private CompressionResult run(ModelSource model, Path output) throws CompressionException {
        Objects.requireNonNull(model, "model");
        try {
            return new CompressionRun(parameters, evaluator, settings).run(model, output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompressionException("compression of " + model.description() + " was interrupted", e);
        }
    }

    /**
     * How auto mode hands a candidate (the original model with one layer compressed to one rank) to the
     * built-in evaluators. Both score the same function up to float rounding; they differ in cost. An evaluator
     * of your own always receives the candidate serialized.
     */
    public enum CandidateModels {
        /**
         * The original model with the layer's weight replaced by its rank-r approximation {@code W_r = B·A}: no
         * model copy and no serialization per candidate, one weight-sized tensor instead. The sweep opens one ONNX
         * Runtime session per worker on a copy of the model whose candidate weights are graph inputs, and each
         * candidate feeds its {@code W_r} (the others fed as stored): opening a session costs more than running
         * the evaluator's inputs through it, so this is several times faster than a session per candidate, with the
         * same scores up to float rounding. Layers whose weight is not an initializer of the main graph read by that
         * layer only fall back to {@link #REWRITTEN_GRAPH}.
         */
        REPLACED_WEIGHT,
        /** The model rewritten with the layer split into its two layers and serialized into a new buffer. */
        REWRITTEN_GRAPH
    }

    /**
     * The settings of a compressor. Manual mode: {@link #ratio} and/or {@link #layerRatio}. Auto mode:
     * {@link #target} with an {@link #evaluator}, and optionally {@link #candidates}, {@link #monotonicFit},
     * {@link #scoresFile}. Both: {@link #metric}, {@link #multiplicity}, {@link #ignore}, {@link #inputShape},
     * {@link #threads}, {@link #progress}. Every setter checks its argument; {@link #build()} checks that they fit
     * together.
     */
    public static final class Builder {
        private Double allLayersRatio;
        private final Map<String, Double> layerRatios = new LinkedHashMap<>();
        private final List<String> ignore = new ArrayList<>();
        private Double target;
        private Integer candidates;
        /** The most candidate divisions {@link #candidates} accepts. */
        public static final int MAX_CANDIDATES = 1000;
        private boolean monotonicFit;
        private Path scoresFile;
        private CostMetric metric = CostMetric.MAC;
        private int multiplicity = 1;
        private Evaluator evaluator;
        private InputShapes inputShapes = InputShapes.none();
        private int threads = Runtime.getRuntime().availableProcessors();
        private int evaluationParallelism;
        private ProgressListener progress = ProgressListener.SILENT;
        private CandidateModels candidateModels = CandidateModels.REPLACED_WEIGHT;
        private Method method = Method.PLAIN;
        private Calibration calibration;
        private Integer calibrationSamples;
        private Refinement refinement = Refinement.NONE;
        private SelectionMode selectionMode;
        private int latencyThreads;

        private Builder() {
        }

        /** Manual mode: the ratio (compressed cost / original cost, in (0, 1]) of every layer no {@link #layerRatio} names. */
        public Builder ratio(double ratio) {
            this.allLayersRatio = checkRatio(ratio, "the ratio for all layers");
            return this;
        }

        /**
         * Manual mode: the ratio of the layers named {@code nameOrGlob} (an ONNX node name, or a glob with {@code *}
         * and {@code ?}). An exact name beats a glob; among globs the first given wins. A rule matching no layer
         * fails the run with the model's layer names (almost always a typo).
         */
        public Builder layerRatio(String nameOrGlob, double ratio) {
            Objects.requireNonNull(nameOrGlob, "nameOrGlob");
            if (nameOrGlob.isBlank()) {
                throw new IllegalArgumentException("a layer name or pattern must not be blank");
            }
            if (layerRatios.put(nameOrGlob, checkRatio(ratio, "the ratio of layer " + nameOrGlob)) != null) {
                throw new IllegalArgumentException("layer " + nameOrGlob + " is given a ratio twice");
            }
            return this;
        }

        /** Never compress the layers with these names or globs; their cost counts as the model's fixed part. */
        public Builder ignore(String... namesOrGlobs) {
            for (String pattern : namesOrGlobs) {
                ignore.add(Objects.requireNonNull(pattern, "pattern"));
            }
            return this;
        }

        /**
         * Auto mode: the model ratio to reach, in (0, 1]. The greedy search stops within 0.001 of it or at the
         * closest reachable point, which the statistics say.
         */
        public Builder target(double ratio) {
            this.target = checkRatio(ratio, "the target ratio");
            return this;
        }

        /**
         * Auto mode: evaluate each layer at the ratios i/N, i = 1..N-1 (default 10, as AIMET); N at most
         * {@value #MAX_CANDIDATES}, since every candidate costs one evaluation per layer (and a table entry).
         */
        public Builder candidates(int n) {
            if (n < 2 || n > MAX_CANDIDATES) {
                throw new IllegalArgumentException("auto mode needs 2 to " + MAX_CANDIDATES + " candidates (ratios i/N for"
                        + " i = 1..N-1; each one is an evaluation per layer), got " + n);
            }
            this.candidates = n;
            return this;
        }

        /** Auto mode: smooth each layer's scores with AIMET's monotonic polynomial fit before selection (default off). */
        public Builder monotonicFit(boolean fit) {
            this.monotonicFit = fit;
            return this;
        }

        /**
         * Auto mode: save the eval dictionary to {@code file} after every evaluation, and resume from it when it
         * exists (only missing candidates are evaluated; a complete file re-runs the selection with no evaluation).
         * Keep one file per model and evaluator.
         */
        public Builder scoresFile(Path file) {
            this.scoresFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Auto mode: how ranks are chosen (default {@link SelectionMode#GREEDY}, AIMET's search over every
         * candidate ratio); {@link SelectionMode#SPECTRUM} evaluates each layer once and allocates ranks from
         * its error spectrum.
         */
        public Builder selection(SelectionMode mode) {
            this.selectionMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** What a ratio measures (default {@link CostMetric#MAC}). */
        public Builder metric(CostMetric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /** Round every rank up to a multiple of {@code m} (AIMET's rank rounding; default 1, no rounding). */
        public Builder multiplicity(int m) {
            if (m < 1) {
                throw new IllegalArgumentException("rank multiplicity must be at least 1 (1 = no rounding), got " + m);
            }
            this.multiplicity = m;
            return this;
        }

        /**
         * Scores models, higher is better: required in auto mode (it scores every candidate); in manual mode
         * optional, scoring the original and the compressed model for the statistics.
         */
        public Builder evaluator(Evaluator evaluator) {
            this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
            return this;
        }

        /**
         * The shape of a model input with symbolic dimensions (such as {@code input_ids} of
         * {@code batch x sequence}): needed to count MACs when output sizes are not fixed (AIMET's
         * {@code input_shape}). A symbolic batch counts as 1.
         */
        public Builder inputShape(String inputName, long... dims) {
            this.inputShapes = inputShapes.with(inputName, dims);
            return this;
        }

        /** Compute threads the run may keep busy (default: every available processor). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Candidate evaluations run at the same time in auto mode: 0 (the default) for
         * {@code min(threads, candidates)} when the evaluator {@linkplain Evaluator#supportsConcurrentEvaluation()
         * supports it} and 1 otherwise; 1 to run them one after another, each with all the threads. The threads
         * are shared among them, so the cores are never oversubscribed.
         */
        public Builder evaluationParallelism(int parallelism) {
            if (parallelism < 0) {
                throw new IllegalArgumentException("evaluation parallelism must be 0 (automatic) or positive, got " + parallelism);
            }
            this.evaluationParallelism = parallelism;
            return this;
        }

        /** Where progress goes (default: nowhere). */
        public Builder progress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** How candidates reach the built-in evaluators (default {@link CandidateModels#REPLACED_WEIGHT}). */
        public Builder candidateModels(CandidateModels candidateModels) {
            this.candidateModels = Objects.requireNonNull(candidateModels, "candidateModels");
            return this;
        }

        /**
         * How each layer is split (default {@link Method#PLAIN}, AIMET's). {@link Method#DATA_AWARE} first runs the
         * original model over calibration inputs ({@link #calibration}) to learn each layer's inputs.
         */
        public Builder method(Method method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * Data-aware method: what the model is run on to learn its layers' inputs (default
         * {@link Calibration#fromEvaluator()}, the evaluator's own data, disjoint from what it scores).
         */
        public Builder calibration(Calibration calibration) {
            this.calibration = Objects.requireNonNull(calibration, "calibration");
            return this;
        }

        /**
         * Data-aware method: how many calibration samples (sentences, images, first-axis rows of the inputs) to run.
         * Default {@value #DEFAULT_CALIBRATION_SAMPLES} from an evaluator, all of the inputs given otherwise.
         */
        public Builder calibrationSamples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("calibration samples must be at least 1, got " + samples);
            }
            this.calibrationSamples = samples;
            return this;
        }

        /**
         * Data-aware method: what happens after the ranks are chosen (default {@link Refinement#NONE}).
         * {@link Refinement#SEQUENTIAL} refits the split Linear layers in graph order on the model compressed so far,
         * with one more calibration pass per distinct layer input (on the same calibration inputs); ranks and costs
         * stay as chosen.
         */
        public Builder refinement(Refinement refinement) {
            this.refinement = Objects.requireNonNull(refinement, "refinement");
            return this;
        }

        /**
         * Also time ONNX Runtime inference of the original and the compressed model, with {@code threads} intra-op
         * threads (the threads a server runs each request with), into {@link CompressionStats#latency()}: on the
         * built-in evaluator's inputs (one pass embeds or classifies all of them), else on zeros of the
         * {@link #inputShape input shapes} (symbolic dimensions not given taken as 1). Warm-up passes, then at least
         * 20 timed passes and one second per model; the median and the 95th percentile are reported. Not measured
         * unless asked (it adds a few seconds). Timings are only as quiet as the machine.
         *
         * @throws IllegalArgumentException if {@code threads} is below 1
         */
        public Builder latency(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("latency threads must be at least 1, got " + threads);
            }
            this.latencyThreads = threads;
            return this;
        }

        /**
         * The compressor.
         *
         * @throws IllegalStateException if no mode or both modes are chosen, an auto-mode setting is given in
         *                               manual mode, or auto mode has no evaluator; the message says which
         */
        public WeightSvdCompressor build() {
            boolean manual = allLayersRatio != null || !layerRatios.isEmpty();
            boolean auto = target != null;
            if (manual == auto) {
                throw new IllegalStateException(manual
                        ? "choose one mode: ratio/layerRatio (manual) or target (auto), not both"
                        : "choose a mode: ratio(r) or layerRatio(name, r) for manual mode, or target(r) for auto mode");
            }
            RankSelection selection;
            if (auto) {
                if (evaluator == null) {
                    throw new IllegalStateException("auto mode scores every candidate: give an evaluator");
                }
                if (selectionMode == SelectionMode.SPECTRUM && (candidates != null || monotonicFit)) {
                    throw new IllegalStateException("candidates and monotonicFit belong to the greedy selection; the spectrum"
                            + " selection probes each layer once and allocates ranks from its spectrum");
                }
                GreedyParameters greedy = new GreedyParameters(target, candidates == null ? DEFAULT_CANDIDATES : candidates,
                        monotonicFit, ignore);
                selection = new AutoSelection(greedy, scoresFile, selectionMode == null ? SelectionMode.GREEDY : selectionMode);
            } else {
                if (candidates != null || monotonicFit || scoresFile != null || selectionMode != null) {
                    throw new IllegalStateException("candidates, monotonicFit, scoresFile and selection belong to auto mode (target)");
                }
                OptionalDouble all = allLayersRatio == null ? OptionalDouble.empty() : OptionalDouble.of(allLayersRatio);
                selection = new ManualRatios(all, layerRatios, ignore);
            }
            if (method == Method.PLAIN && (calibration != null || calibrationSamples != null)) {
                throw new IllegalStateException("calibration and calibrationSamples belong to the data-aware method:"
                        + " add method(Method.DATA_AWARE)");
            }
            if (method == Method.PLAIN && refinement != Refinement.NONE) {
                throw new IllegalStateException("refinement " + refinement + " refits data-aware splits on calibration"
                        + " inputs: add method(Method.DATA_AWARE)");
            }
            WeightSvdParameters parameters = new WeightSvdParameters(metric, multiplicity, selection, method);
            CompressionRun.Settings settings = new CompressionRun.Settings(threads, evaluationParallelism, inputShapes,
                    progress, candidateModels, calibration == null ? Calibration.fromEvaluator() : calibration,
                    calibrationSamples == null ? 0 : calibrationSamples, latencyThreads, refinement);
            return new WeightSvdCompressor(parameters, evaluator, settings);
        }

        private static double checkRatio(double ratio, String what) {
            if (!(ratio > 0 && ratio <= 1)) {
                throw new IllegalArgumentException(what + " must be in (0, 1] (compressed cost / original cost), got " + ratio);
            }
            return ratio;
        }
    }
}
