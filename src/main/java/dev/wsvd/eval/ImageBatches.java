package dev.wsvd.eval;

import dev.wsvd.runtime.Feed;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.ValueInfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LabelledImages} set as input tensors for a classifier, and the top-1 count over one session. Samples
 * are fed in batches: a dynamic batch dimension takes {@code batchSize} samples at a time; a fixed one (often 1
 * in exported models) takes exactly that many, the last batch padded with zeros whose outputs are ignored. Each
 * sample is reshaped to the model's input when the counts agree. The tensors are built once per input layout
 * and then only read, so sessions on several threads may share them.
 */
public final class ImageBatches implements AutoCloseable {
    private final LabelledImages data;
    private final String inputName;
    private final String outputName;
    private final int batchSize;
    private final Arena arena = Arena.ofShared();
    private final Map<FeedPlan, List<Batch>> batchesByPlan = new ConcurrentHashMap<>();

    /**
     * @param inputName  the input that takes the samples, or null for the model's only input
     * @param outputName the output holding the class scores, or null for the model's only output
     * @param batchSize  samples per run when the model's batch dimension is dynamic
     */
    public ImageBatches(LabelledImages data, String inputName, String outputName, int batchSize) {
        this.data = Objects.requireNonNull(data, "data");
        this.inputName = inputName;
        this.outputName = outputName;
        this.batchSize = batchSize;
    }

    /** Number of labelled samples each run classifies. */
    public int sampleCount() {
        return data.count();
    }

    /** The fraction of samples {@code session}'s model classifies correctly, in {@code [0, 1]}. */
    public double accuracy(ModelSession session) throws SessionException {
        Map<String, ValueInfo> inputs = session.inputs();
        Map<String, ValueInfo> outputs = session.outputs();
        String input = pick(inputs, inputName, "input", session.description(), "inputName");
        String output = pick(outputs, outputName, "output", session.description(), "outputName");
        requireFloat(inputs.get(input), "input " + input, session.description());
        requireFloat(outputs.get(output), "output " + output, session.description());
        FeedPlan plan = plan(inputs.get(input).shape(), input, session.description());
        long correct = 0;
        for (Batch batch : batchesFor(plan)) {
            correct += session.run(Map.of(input, batch.feed), output,
                    (shape, scores) -> countCorrect(shape, scores, batch, output, session.description()));
        }
        return (double) correct / data.count();
    }

    /** Frees the input tensors and their memory. */
    @Override
    public void close() {
        batchesByPlan.values().forEach(batches -> batches.forEach(batch -> batch.feed.close()));
        batchesByPlan.clear();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private long countCorrect(long[] shape, FloatBuffer scores, Batch batch, String output, String description)
            throws SessionException {
        long rows = shape.length == 0 ? 0 : shape[0];
        if (rows != batch.rows) {
            throw new SessionException("output " + output + " of " + description + " has shape " + Arrays.toString(shape)
                    + " for a batch of " + batch.rows + "; expected the batch first");
        }
        int classes = Math.toIntExact(scores.remaining() / rows);
        long correct = 0;
        for (int row = 0; row < batch.samples; row++) {
            int sample = batch.first + row;
            int label = data.label(sample);
            if (label >= classes) {
                throw new SessionException("label " + label + " of sample " + sample + " is outside the " + classes
                        + " classes that output " + output + " of " + description + " scores");
            }
            if (argmax(scores, row * classes, classes) == label) {
                correct++;
            }
        }
        return correct;
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
    private record Batch(Feed feed, int first, int samples, int rows) {
    }

    private FeedPlan plan(long[] modelDims, String input, String description) throws SessionException {
        if (modelDims.length < 2) {
            throw new SessionException("input " + input + " of " + description + " has shape " + Arrays.toString(modelDims)
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
                throw new SessionException(mismatch(input, description, modelDims));
            }
            sample = modelSample;
        } else {
            if (modelSample.length != dataSample.length) {
                throw new SessionException(mismatch(input, description, modelDims));
            }
            for (int axis = 0; axis < modelSample.length; axis++) {
                if (modelSample[axis] >= 0 && modelSample[axis] != dataSample[axis]) {
                    throw new SessionException(mismatch(input, description, modelDims));
                }
            }
            sample = dataSample;
        }
        return new FeedPlan(rows, fixedBatch, Arrays.stream(sample).boxed().toList());
    }

    private String mismatch(String input, String description, long[] modelDims) {
        return "input " + input + " of " + description + " has shape " + Arrays.toString(modelDims)
                + " (-1: any size) but the labelled samples have shape " + data.sampleShape() + " (" + data.sampleSize()
                + " values each); reshape the samples or name another input";
    }

    private List<Batch> batchesFor(FeedPlan plan) throws SessionException {
        try {
            return batchesByPlan.computeIfAbsent(plan, this::prepare);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SessionException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Copies the samples into native batch tensors once; they are then shared by every run with this plan. */
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
                batches.add(new Batch(Feed.float32(memory, shape.clone()), first, samples, rows));
            }
            return List.copyOf(batches);
        } catch (SessionException e) {
            batches.forEach(batch -> batch.feed.close());
            throw new IllegalStateException(e);
        }
    }

    private static String pick(Map<String, ValueInfo> available, String wanted, String kind, String description,
                               String option) throws SessionException {
        if (wanted != null) {
            if (!available.containsKey(wanted)) {
                throw new SessionException(description + " has no " + kind + " named " + wanted + "; its "
                        + kind + "s are " + available.keySet());
            }
            return wanted;
        }
        if (available.size() != 1) {
            throw new SessionException(description + " has " + available.size() + " " + kind + "s " + available.keySet()
                    + "; name the one to use with ClassificationAccuracy.Builder." + option + "(...)");
        }
        return available.keySet().iterator().next();
    }

    private static void requireFloat(ValueInfo info, String what, String description) throws SessionException {
        if (!ValueInfo.FLOAT.equals(info.elementType())) {
            throw new SessionException(what + " of " + description + " holds " + info.elementType()
                    + "; the accuracy evaluator feeds and reads float32 tensors");
        }
    }
}
