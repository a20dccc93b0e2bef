package dev.wsvd;

import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.IdxFiles;
import dev.wsvd.eval.ImageBatches;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.runtime.SessionSettings;
import dev.wsvd.tensor.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Top-1 accuracy of a classifier on labelled samples: the fraction of samples whose largest output is at the
 * index of their label. Runs the model with ONNX Runtime.
 *
 * <p>The model takes one float tensor of {@code batch x sample} and returns one float tensor of
 * {@code batch x classes} (logits or probabilities; any trailing dimensions are flattened into classes).
 * Input and output are discovered from the session when the model has exactly one of each, or named with the
 * builder. Samples are fed in batches: a dynamic batch dimension takes {@link Builder#batchSize(int)} samples
 * at a time; a fixed one (often 1 in exported models) takes exactly that many, the last batch padded with
 * zeros whose outputs are ignored. Each sample is reshaped to the model's input when the counts agree.
 *
 * <p>The input tensors are built once per input layout and reused by every evaluation, and every evaluation
 * opens and closes its own session: the evaluator is safe to call from several threads at once. Close it to
 * free the prepared inputs.
 *
 * <pre>{@code
 * try (ClassificationAccuracy accuracy = ClassificationAccuracy.idx(images, labels).build()) {
 *     double top1 = accuracy.evaluate(ModelSource.of(Path.of("model.onnx"))).value();
 * }
 * }</pre>
 */
public final class ClassificationAccuracy implements CandidateAware, TimedEvaluator, AutoCloseable {
    /** Class-path resource of the Fashion-MNIST CNN wsvd ships (a small model to try things on). */
    public static final String FASHION_MNIST_CNN = FashionMnist.MODEL_RESOURCE;

    private final ImageBatches batches;
    private final EvaluationSessions sessions;
    private final int batchSize;

    private ClassificationAccuracy(Builder builder) {
        this.batches = new ImageBatches(builder.data, builder.inputName, builder.outputName, builder.batchSize);
        this.batchSize = builder.batchSize;
        this.sessions = new EvaluationSessions("this ClassificationAccuracy", SessionSettings.DEFAULT);
    }

    /**
     * A builder over {@code labels.length} samples: {@code samples} holds their values one sample after the
     * other, each of shape {@code sampleShape} (for example {@code 28, 28}, or {@code 1, 28, 28}).
     *
     * @throws IllegalArgumentException if the counts disagree or a label is negative
     */
    public static Builder builder(float[] samples, int[] labels, long... sampleShape) {
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = labels.length;
        System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
        return new Builder(new LabelledImages(Shape.of(dims), samples, labels));
    }

    /** A builder over {@code data}; for tests, which build their sets directly. */
    static Builder builder(LabelledImages data) {
        return new Builder(data);
    }

    /**
     * A builder over an IDX image file ({@code N x rows x columns}, unsigned bytes, as MNIST ships; pixels are
     * scaled to [0, 1]) and its IDX label file.
     *
     * @throws IOException if either file cannot be read or they disagree; the message names the file
     */
    public static Builder idx(Path images, Path labels) throws IOException {
        return new Builder(IdxFiles.read(images, labels));
    }

    /** A builder over the 1,000-image Fashion-MNIST test slice wsvd ships (for {@link #FASHION_MNIST_CNN}). */
    public static Builder fashionMnistTestSlice() throws IOException {
        return new Builder(FashionMnist.testSlice());
    }

    /** The fraction of samples classified correctly, in {@code [0, 1]}. */
    @Override
    public Score evaluate(ModelSource model) throws EvaluationException {
        return Score.of(sessions.run(model, batches::accuracy));
    }

    /** As {@link #evaluate(ModelSource)}, with {@code threads} intra-op threads for this call's session. */
    @Override
    public Score evaluate(ModelSource model, int threads) throws EvaluationException {
        return Score.of(sessions.run(model, EvaluationSessions.requireThreadBudget(threads), batches::accuracy));
    }

    /** One pass classifies every sample, as an evaluation does. */
    @Override
    public Latency latency(ModelSource model, int threads) throws EvaluationException {
        return sessions.latency(model, threads, batches::accuracy);
    }

    @Override
    public String latencyWorkload() {
        return String.format(java.util.Locale.ROOT, "%,d samples in batches of up to %d (the evaluator's inputs)",
                batches.sampleCount(), batchSize);
    }

    /** {@code true}: each call opens its own session and only reads the shared inputs. */
    @Override
    public boolean supportsConcurrentEvaluation() {
        return true;
    }

    /** Number of labelled samples each evaluation classifies. */
    public int sampleCount() {
        return batches.sampleCount();
    }

    /** Frees the prepared input tensors; waits for running evaluations first. Later evaluations fail. */
    @Override
    public void close() {
        sessions.close(batches::close);
    }

    /** Options of a {@link ClassificationAccuracy}. */
    public static final class Builder {
        private LabelledImages data;
        private String inputName;
        private String outputName;
        private int batchSize = 128;

        private Builder(LabelledImages data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        /** Score on the first {@code count} samples only: quicker, noisier. */
        public Builder limit(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("the sample limit must be at least 1, got " + count);
            }
            data = data.first(Math.min(count, data.count()));
            return this;
        }

        /** The input that takes the samples; by default the model's only input. */
        public Builder inputName(String name) {
            this.inputName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The output holding the class scores; by default the model's only output. */
        public Builder outputName(String name) {
            this.outputName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Samples per run when the model's batch dimension is dynamic (default 128). */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** The evaluator; its input tensors are built on first use, once per input layout. */
        public ClassificationAccuracy build() {
            return new ClassificationAccuracy(this);
        }
    }
}
