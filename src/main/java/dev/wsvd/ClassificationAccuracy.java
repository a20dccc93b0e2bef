package dev.wsvd;

import dev.wsvd.calibration.ArrayCalibration;
import dev.wsvd.calibration.InputArray;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.IdxFiles;
import dev.wsvd.eval.ImageBatches;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.runtime.SessionSettings;
import dev.wsvd.tensor.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
public final class ClassificationAccuracy implements CandidateAware, HeldOutScoring, TimedEvaluator, AutoCloseable {
    /** Class-path resource of the Fashion-MNIST CNN wsvd ships (a small model to try things on). */
    public static final String FASHION_MNIST_CNN = FashionMnist.MODEL_RESOURCE;
    /** Held-out Fashion-MNIST images the reported scores use by default ({@link #fashionMnistTestSlice()}). */
    public static final int DEFAULT_HELD_OUT_IMAGES = FashionMnist.HELD_OUT_IMAGES;

    private final ImageBatches batches;
    private final EvaluationSessions sessions;
    private final CalibrationPool calibrationPool;
    private final String dataName;
    private final ClassificationAccuracy heldOut; // null without a held-out set
    private final int batchSize;

    private ClassificationAccuracy(Builder builder) {
        this.calibrationPool = builder.calibrationPool;
        this.batches = new ImageBatches(builder.data, builder.inputName, builder.outputName, builder.batchSize);
        this.batchSize = builder.batchSize;
        this.sessions = new EvaluationSessions("this ClassificationAccuracy", SessionSettings.DEFAULT);
        this.dataName = builder.data.count() + " " + builder.dataName;
        if (builder.heldOut != null) {
            Builder held = new Builder(builder.heldOut, builder.heldOutName);
            held.inputName = builder.inputName;
            held.outputName = builder.outputName;
            held.batchSize = builder.batchSize;
            this.heldOut = held.build();
        } else {
            this.heldOut = null;
        }
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

    /**
     * A builder over the 1,000-image Fashion-MNIST test slice wsvd ships (for {@link #FASHION_MNIST_CNN}): the search
     * data. The reported scores use {@value #DEFAULT_HELD_OUT_IMAGES} other test images, disjoint from the slice
     * ({@link Builder#heldOutImages(int)}).
     */
    public static Builder fashionMnistTestSlice() throws IOException {
        LabelledImages slice = FashionMnist.testSlice();
        LabelledImages heldOut = FashionMnist.heldOutImages();
        requireDisjoint(slice, 0, heldOut, FashionMnist.REST_OFFSET);
        Builder builder = new Builder(slice, "Fashion-MNIST test images (0-999)").heldOut(heldOut, "Fashion-MNIST test images ("
                + FashionMnist.REST_OFFSET + "-" + (FashionMnist.REST_OFFSET + heldOut.count() - 1) + ")");
        builder.calibrationPool = FashionMnist::trainSlice; // training images: never scored
        return builder;
    }

    /**
     * Fails unless two sets, at {@code firstOffset} and {@code secondOffset} of the same source, do not overlap:
     * the held-out score must come from images the search never scored.
     */
    static void requireDisjoint(LabelledImages first, int firstOffset, LabelledImages second, int secondOffset) {
        boolean disjoint = firstOffset + first.count() <= secondOffset || secondOffset + second.count() <= firstOffset;
        if (!disjoint) {
            throw new IllegalStateException("the held-out images " + secondOffset + ".." + (secondOffset + second.count() - 1)
                    + " overlap the search images " + firstOffset + ".." + (firstOffset + first.count() - 1));
        }
    }

    /**
     * The accuracy on the held-out images, disjoint from the search images {@link #evaluate} scores: what a
     * compression run reports.
     *
     * @throws IllegalStateException if this evaluator has no held-out images
     */
    @Override
    public Score evaluateHeldOut(ModelSource model, int threads) throws EvaluationException {
        if (heldOut == null) {
            throw new IllegalStateException("this ClassificationAccuracy has no held-out images");
        }
        return heldOut.evaluate(model, threads);
    }

    /** Whether a held-out set exists. */
    @Override
    public boolean hasHeldOut() {
        return heldOut != null;
    }

    /** Number of held-out samples (0 without a held-out set). */
    public int heldOutCount() {
        return heldOut == null ? 0 : heldOut.sampleCount();
    }

    @Override
    public String searchData() {
        return dataName;
    }

    @Override
    public String heldOutData() {
        return heldOut == null ? dataName : heldOut.dataName;
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
        if (heldOut != null) {
            heldOut.close();
        }
    }

    /** Where calibration images come from: never the scored ones. */
    @FunctionalInterface
    private interface CalibrationPool {
        LabelledImages images() throws IOException;
    }

    /**
     * Calibration inputs for the data-aware split: up to {@code count} images this evaluator does not score (for the
     * bundled test slice, the bundled training slice; for other images, those past the {@link Builder#limit}). The
     * caller closes the result.
     *
     * @throws EvaluationException if every image is scored, or the images cannot be read
     */
    ArrayCalibration calibrationInputs(int count) throws EvaluationException {
        if (calibrationPool == null) {
            throw new EvaluationException("every image of the accuracy evaluator is scored, none is left to calibrate on:"
                    + " score fewer (--samples N, the rest calibrate) or give calibration inputs (--calibration DIR)");
        }
        try {
            LabelledImages pool = calibrationPool.images();
            LabelledImages images = pool.first(Math.min(count, pool.count()));
            return new ArrayCalibration(List.of(new InputArray(ArrayCalibration.ONLY_INPUT, images.shape().toArray(),
                    images.values(), null, images.count() + " images not scored")), 0, 64, images.count() + " images not scored");
        } catch (IOException e) {
            throw new EvaluationException("cannot read the calibration images: " + e.getMessage(), e);
        }
    }

    /** Options of a {@link ClassificationAccuracy}. */
    public static final class Builder {
        private LabelledImages data;
        private CalibrationPool calibrationPool;
        private final String dataName;
        private String inputName;
        private String outputName;
        private int batchSize = 128;
        private LabelledImages heldOut;
        private String heldOutName;

        private Builder(LabelledImages data) {
            this(data, "samples");
        }

        private Builder(LabelledImages data, String dataName) {
            this.data = Objects.requireNonNull(data, "data");
            this.dataName = dataName;
        }

        /** Held-out samples for the reported scores, kept apart from the search samples by the caller. */
        Builder heldOut(LabelledImages images, String name) {
            this.heldOut = images;
            this.heldOutName = name;
            return this;
        }

        /**
         * The number of held-out images the reported scores use (the first {@code count} of the held-out set; 0 for
         * none: scores are then reported on the search samples). Only builders with a held-out set
         * ({@link #fashionMnistTestSlice()}) take a positive count.
         */
        public Builder heldOutImages(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("the held-out image count must not be negative, got " + count);
            }
            if (count == 0) {
                heldOut = null;
                return this;
            }
            if (heldOut == null) {
                throw new IllegalArgumentException("these samples have no held-out set; give 0 or use fashionMnistTestSlice()");
            }
            if (count > heldOut.count()) {
                throw new IllegalArgumentException("only " + heldOut.count() + " held-out images exist, asked for " + count);
            }
            heldOut = heldOut.first(count);
            heldOutName = heldOutName.replaceFirst("\\(\\d+-\\d+\\)", "(" + FashionMnist.REST_OFFSET + "-"
                    + (FashionMnist.REST_OFFSET + count - 1) + ")");
            return this;
        }

        /** Score on the first {@code count} samples only: quicker, noisier. */
        public Builder limit(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("the sample limit must be at least 1, got " + count);
            }
            if (calibrationPool == null && count < data.count()) {
                LabelledImages whole = data;
                calibrationPool = () -> whole.from(count); // the images not scored
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
