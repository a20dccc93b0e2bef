package dev.wsvd.compress;

import dev.wsvd.eval.Evaluator;
import dev.wsvd.eval.ModelSource;
import dev.wsvd.onnx.InputShapes;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Weight SVD compression of an ONNX model: the reference's {@code ModelCompressor.compress_model} for the
 * weight SVD scheme, in process. A compressor holds only its settings; each {@link #compress} call is an
 * independent run, and a compressor may be reused and shared between threads.
 *
 * <pre>{@code
 * WeightSvdCompressor compressor = WeightSvdCompressor.builder(
 *                 WeightSvdParameters.auto(GreedyParameters.target(0.75)))
 *         .evaluator(fidelity)
 *         .build();
 * try (CompressionResult result = compressor.compress(ModelSource.of(modelBytes))) {
 *     ByteBuffer compressed = result.toDirectByteBuffer();
 * }
 * }</pre>
 */
public final class WeightSvdCompressor {
    private final WeightSvdParameters parameters;
    private final Evaluator evaluator;
    private final int threads;
    private final int evaluationParallelism;
    private final InputShapes inputShapes;
    private final ProgressListener progress;
    private final CandidateModels candidateModels;

    private WeightSvdCompressor(Builder builder) {
        this.parameters = builder.parameters;
        this.evaluator = builder.evaluator;
        this.threads = builder.threads;
        this.evaluationParallelism = builder.evaluationParallelism;
        this.inputShapes = builder.inputShapes;
        this.progress = builder.progress;
        this.candidateModels = builder.candidateModels;
    }

    /** A builder for a compressor with these Weight SVD parameters. */
    public static Builder builder(WeightSvdParameters parameters) {
        return new Builder(parameters);
    }

    /** The parameters this compressor runs with. */
    public WeightSvdParameters parameters() {
        return parameters;
    }

    /**
     * Compresses {@code model} and keeps the result in memory.
     *
     * @param model the model: a file (mapped, not copied), a direct buffer or bytes; never modified
     * @throws CompressionException if the model cannot be read or compressed, a candidate cannot be evaluated,
     *                              or the run is interrupted; the message names the model, layer or file and what to do
     */
    public CompressionResult compress(ModelSource model) throws CompressionException {
        return run(model, null);
    }

    /**
     * Compresses {@code model} and writes the result to {@code output} atomically (a temporary file in the
     * same folder, moved into place); the write is part of the run's timings and statistics.
     *
     * @throws CompressionException as {@link #compress(ModelSource)}, or if {@code output} cannot be written
     *                              (it must not be the input file)
     */
    public CompressionResult compress(ModelSource model, Path output) throws CompressionException {
        return run(model, Objects.requireNonNull(output, "output"));
    }

    private CompressionResult run(ModelSource model, Path output) throws CompressionException {
        Objects.requireNonNull(model, "model");
        CompressionRun.Settings settings = new CompressionRun.Settings(threads, evaluationParallelism, inputShapes, progress,
                candidateModels);
        try {
            return new CompressionRun(parameters, evaluator, settings).run(model, output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompressionException("compression of " + model.description() + " was interrupted", e);
        }
    }

    /** Builds a {@link WeightSvdCompressor}. */
    public static final class Builder {
        private final WeightSvdParameters parameters;
        private Evaluator evaluator;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int evaluationParallelism;
        private InputShapes inputShapes = InputShapes.none();
        private ProgressListener progress = ProgressListener.SILENT;
        private CandidateModels candidateModels = CandidateModels.REPLACED_WEIGHT;

        private Builder(WeightSvdParameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
        }

        /**
         * Scores models, higher is better: required in auto mode (it scores every candidate); in manual mode
         * optional, scoring the original and the compressed model for the statistics.
         */
        public Builder evaluator(Evaluator evaluator) {
            this.evaluator = evaluator;
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

        /**
         * Shapes for the model's inputs with symbolic dimensions (such as {@code batch} and {@code sequence}),
         * needed to count MACs of models whose output sizes are not fixed (the reference's {@code input_shape}).
         */
        public Builder inputShapes(InputShapes shapes) {
            this.inputShapes = Objects.requireNonNull(shapes, "shapes");
            return this;
        }

        /** Where progress goes (default: nowhere); see {@link ProgressListener#console}. */
        public Builder progress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** How candidates are built for evaluation (default {@link CandidateModels#REPLACED_WEIGHT}). */
        public Builder candidateModels(CandidateModels candidateModels) {
            this.candidateModels = Objects.requireNonNull(candidateModels, "candidateModels");
            return this;
        }

        /**
         * @throws IllegalStateException if auto mode has no evaluator
         */
        public WeightSvdCompressor build() {
            if (parameters.isAuto() && evaluator == null) {
                throw new IllegalStateException("auto mode scores every candidate: give an evaluator");
            }
            return new WeightSvdCompressor(this);
        }
    }
}
