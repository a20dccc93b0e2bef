package dev.wsvd.eval;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Top-1 accuracy of a classifier on a {@link LabelledImages} set: the fraction of samples whose largest
 * output is at the index of their label. Runs the model with ONNX Runtime.
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
 * try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(testSet).build()) {
 *     double top1 = accuracy.evaluate(ModelSource.of(Path.of("model.onnx")));
 * }
 * }</pre>
 */
public final class ClassificationAccuracy implements Evaluator, AutoCloseable {
    private final LabelledImages data;
    private final String inputName;
    private final String outputName;
    private final int batchSize;
    private final EvaluationSessions sessions;
    private final Arena arena = Arena.ofShared();
    private final Map<FeedPlan, List<Batch>> batchesByPlan = new ConcurrentHashMap<>();

    private ClassificationAccuracy(Builder builder) {
        this.data = builder.data;
        this.inputName = builder.inputName;
        this.outputName = builder.outputName;
        this.batchSize = builder.batchSize;
        this.sessions = new EvaluationSessions("this ClassificationAccuracy", builder.settings);
    }

    /** A builder for an evaluator over {@code data}. */
    public static Builder builder(LabelledImages data) {
        return new Builder(data);
    }

    /** The fraction of samples classified correctly, in {@code [0, 1]}. */
    @Override
    public double evaluate(ModelSource model) throws EvaluationException {
        return sessions.run(model, this::accuracy);
    }

    /** As {@link #evaluate(ModelSource)}, with {@code threads} intra-op threads for this call's session. */
    @Override
    public double evaluate(ModelSource model, int threads) throws EvaluationException {
        return sessions.run(model, EvaluationSessions.requireThreadBudget(threads), this::accuracy);
    }

    /** {@code true}: each call opens its own session and only reads the shared inputs. */
    @Override
    public boolean supportsConcurrentEvaluation() {
        return true;
    }

    /** Number of labelled samples each evaluation classifies. */
    public int sampleCount() {
        return data.count();
    }

    /** Frees the prepared input tensors; waits for running evaluations first. Later evaluations fail. */
    @Override
    public void close() {
        sessions.close(() -> {
            batchesByPlan.values().forEach(batches -> batches.forEach(batch -> batch.tensor.close()));
            batchesByPlan.clear();
            arena.close();
        });
    }

    private double accuracy(ModelSession session) throws EvaluationException {
        String input = pick(session.inputs(), inputName, "input", session.description(), "inputName");
        String output = pick(session.outputs(), outputName, "output", session.description(), "outputName");
        TensorInfo inputInfo = session.inputs().get(input);
        TensorInfo outputInfo = session.outputs().get(output);
        requireFloat(inputInfo, "input " + input, session.description());
        requireFloat(outputInfo, "output " + output, session.description());
        FeedPlan plan = plan(inputInfo.getShape(), input, session.description());
        List<Batch> batches = batchesFor(plan);
        long correct = 0;
        for (Batch batch : batches) {
            correct += countCorrect(session, input, output, batch);
        }
        return (double) correct / data.count();
    }

    private long countCorrect(ModelSession session, String input, String output, Batch batch) throws EvaluationException {
        try (OrtSession.Result result = session.session().run(Map.of(input, batch.tensor), Set.of(output))) {
            OnnxValue value = result.get(0);
            if (!(value instanceof OnnxTensor tensor)) {
                throw new EvaluationException("output " + output + " of " + session.description() + " is not a tensor");
            }
            long[] shape = tensor.getInfo().getShape();
            long rows = shape.length == 0 ? 0 : shape[0];
            if (rows != batch.rows) {
                throw new EvaluationException("output " + output + " of " + session.description() + " has shape "
                        + Arrays.toString(shape) + " for a batch of " + batch.rows + "; expected the batch first");
            }
            int classes = Math.toIntExact(tensor.getInfo().getNumElements() / rows);
            FloatBuffer scores = tensor.getFloatBuffer();
            long correct = 0;
            for (int row = 0; row < batch.samples; row++) {
                int sample = batch.first + row;
                int label = data.label(sample);
                if (label >= classes) {
                    throw new EvaluationException("label " + label + " of sample " + sample + " is outside the "
                            + classes + " classes that output " + output + " of " + session.description() + " scores");
                }
                if (argmax(scores, row * classes, classes) == label) {
                    correct++;
                }
            }
            return correct;
        } catch (OrtException e) {
            throw new EvaluationException("ONNX Runtime failed to run " + session.description() + " on samples "
                    + batch.first + ".." + (batch.first + batch.samples - 1) + ": " + e.getMessage(), e);
        }
    }

    /** Index of the largest score; the first on ties; NaN never wins over a number. */
    static int argmax(FloatBuffer scores, int offset, int count) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int i = 0; i < count; i++) {
            float score = scores.get(offset + i);
            if (!found && !Float.isNaN(score) || score > bestScore) {
                best = i;
                bestScore = score;
                found = true;
            }
        }
        return best;
    }

    /**
     * How samples are fed: rows per batch tensor (the model's fixed batch, or ours), whether the model fixes
     * that number (then the last batch is padded), and the sample dimensions.
     */
    private record FeedPlan(int rows, boolean fixedBatch, List<Long> sampleDims) {
    }

    /** One prepared input tensor: {@code rows} rows, of which the first {@code samples} are real samples from {@code first}. */
    private record Batch(OnnxTensor tensor, int first, int samples, int rows) {
    }

    private FeedPlan plan(long[] modelDims, String input, String description) throws EvaluationException {
        if (modelDims.length < 2) {
            throw new EvaluationException("input " + input + " of " + description + " has shape " + Arrays.toString(modelDims)
                    + "; a classifier input needs a batch dimension followed by the sample dimensions");
        }
        boolean fixedBatch = modelDims[0] > 0;
        int rows = fixedBatch ? Math.toIntExact(modelDims[0]) : batchSize;
        long[] modelSample = Arrays.copyOfRange(modelDims, 1, modelDims.length);
        long[] dataSample = data.sampleShape().toArray();
        boolean fullyStatic = Arrays.stream(modelSample).allMatch(d -> d >= 0);
        long[] sample;
        if (fullyStatic) {
            long expected = Arrays.stream(modelSample).reduce(1, Math::multiplyExact);
            if (expected != data.sampleSize()) {
                throw new EvaluationException(mismatch(input, description, modelDims));
            }
            sample = modelSample;
        } else {
            if (modelSample.length != dataSample.length) {
                throw new EvaluationException(mismatch(input, description, modelDims));
            }
            for (int axis = 0; axis < modelSample.length; axis++) {
                if (modelSample[axis] >= 0 && modelSample[axis] != dataSample[axis]) {
                    throw new EvaluationException(mismatch(input, description, modelDims));
                }
            }
            sample = dataSample;
        }
        return new FeedPlan(rows, fixedBatch, Arrays.stream(sample).boxed().toList());
    }

    private String mismatch(String input, String description, long[] modelDims) {
        return "input " + input + " of " + description + " has shape " + Arrays.toString(modelDims)
                + " (-1: any size) but the labelled samples have shape " + data.sampleShape() + " (" + data.sampleSize()
                + " values each); reshape them with LabelledImages.withSampleShape or name another input";
    }

    private List<Batch> batchesFor(FeedPlan plan) throws EvaluationException {
        try {
            return batchesByPlan.computeIfAbsent(plan, this::prepare);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof OrtException ort) {
                throw new EvaluationException("cannot create the input tensors: " + ort.getMessage(), ort);
            }
            throw e;
        }
    }

    /** Copies the samples into native batch tensors once; they are then shared by every evaluation with this plan. */
    private List<Batch> prepare(FeedPlan plan) {
        long[] shape = new long[plan.sampleDims.size() + 1];
        shape[0] = plan.rows;
        for (int i = 0; i < plan.sampleDims.size(); i++) {
            shape[i + 1] = plan.sampleDims.get(i);
        }
        int sampleSize = Math.toIntExact(data.sampleSize());
        float[] rowValues = new float[plan.rows * sampleSize];
        List<Batch> batches = new ArrayList<>();
        try {
            for (int first = 0; first < data.count(); first += plan.rows) {
                int samples = Math.min(plan.rows, data.count() - first);
                // A dynamic batch dimension takes a short last batch; a fixed one is padded with zeros.
                int rows = plan.fixedBatch ? plan.rows : samples;
                Arrays.fill(rowValues, 0f);
                data.copySamples(first, first + samples, rowValues, 0);
                MemorySegment memory = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows * sampleSize);
                MemorySegment.copy(rowValues, 0, memory, ValueLayout.JAVA_FLOAT, 0, rows * sampleSize);
                shape[0] = rows;
                FloatBuffer buffer = memory.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
                batches.add(new Batch(OnnxTensor.createTensor(ModelSession.environment(), buffer, shape.clone()), first, samples, rows));
            }
            return List.copyOf(batches);
        } catch (OrtException e) {
            batches.forEach(batch -> batch.tensor.close());
            throw new IllegalStateException(e);
        }
    }

    private static String pick(Map<String, TensorInfo> available, String wanted, String kind, String description,
                               String option) throws EvaluationException {
        if (wanted != null) {
            if (!available.containsKey(wanted)) {
                throw new EvaluationException(description + " has no " + kind + " named " + wanted + "; its "
                        + kind + "s are " + available.keySet());
            }
            return wanted;
        }
        if (available.size() != 1) {
            throw new EvaluationException(description + " has " + available.size() + " " + kind + "s " + available.keySet()
                    + "; name the one to use with ClassificationAccuracy.Builder." + option + "(...)");
        }
        return available.keySet().iterator().next();
    }

    private static void requireFloat(TensorInfo info, String what, String description) throws EvaluationException {
        if (info.type != OnnxJavaType.FLOAT) {
            throw new EvaluationException(what + " of " + description + " holds " + info.type
                    + "; the accuracy evaluator feeds and reads float32 tensors");
        }
    }

    /** Options of a {@link ClassificationAccuracy}; only the data is required. */
    public static final class Builder {
        private final LabelledImages data;
        private String inputName;
        private String outputName;
        private int batchSize = 128;
        private SessionSettings settings = SessionSettings.DEFAULT;

        private Builder(LabelledImages data) {
            this.data = Objects.requireNonNull(data, "data");
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

        /** How sessions are opened (default {@link SessionSettings#DEFAULT}). */
        public Builder sessionSettings(SessionSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The evaluator; its input tensors are built on first use, once per input layout. */
        public ClassificationAccuracy build() {
            return new ClassificationAccuracy(this);
        }
    }
}
