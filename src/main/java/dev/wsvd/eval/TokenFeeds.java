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
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokenized sentences as ONNX Runtime input tensors, built once in memory this object owns, and the run
 * that turns a text encoder's output into one unit-length embedding per sentence. Read-only after
 * construction, so sessions on several threads may run the same feeds.
 */
final class TokenFeeds implements AutoCloseable {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final List<SentenceTokenizer.Batch> batches;
    private final List<String> sentences;
    private final Arena arena = Arena.ofShared();
    private final List<Map<String, OnnxTensor>> feeds = new ArrayList<>();

    /** Copies every batch's ids, attention mask and token type ids into native int64 tensors. */
    TokenFeeds(List<SentenceTokenizer.Batch> batches, List<String> sentences) throws EvaluationException {
        this.batches = List.copyOf(batches);
        this.sentences = List.copyOf(sentences);
        try {
            for (SentenceTokenizer.Batch batch : batches) {
                long[] shape = {batch.rows(), batch.length()};
                Map<String, OnnxTensor> feed = new HashMap<>();
                feeds.add(feed);
                feed.put(INPUT_IDS, int64Tensor(batch.ids(), shape));
                feed.put(ATTENTION_MASK, int64Tensor(batch.attentionMask(), shape));
                feed.put(TOKEN_TYPE_IDS, int64Tensor(batch.typeIds(), shape));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw new EvaluationException("cannot create the token input tensors: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code session} over every batch and returns one unit-length embedding per sentence, in sentence
     * order: the output named {@code outputName} (or {@code last_hidden_state}, or the only output),
     * mean-pooled over the attention mask when it holds token states, taken as is when already pooled.
     */
    float[][] embed(ModelSession session, String outputName) throws EvaluationException {
        Map<String, TensorInfo> inputs = session.inputs();
        checkInputs(session, inputs);
        String output = pickOutput(session, outputName);
        float[][] embeddings = new float[sentences.size()][];
        for (int b = 0; b < batches.size(); b++) {
            SentenceTokenizer.Batch batch = batches.get(b);
            Map<String, OnnxTensor> feed = new HashMap<>(feeds.get(b));
            feed.keySet().retainAll(inputs.keySet()); // e.g. encoders without token_type_ids
            try (OrtSession.Result result = session.session().run(feed, Set.of(output))) {
                pool(result.get(0), batch, output, session.description(), embeddings);
            } catch (OrtException e) {
                throw new EvaluationException("ONNX Runtime failed to run " + session.description() + " on a batch of "
                        + batch.rows() + " sentences of " + batch.length() + " tokens: " + e.getMessage(), e);
            }
        }
        return embeddings;
    }

    /** Frees the tensors and their memory. */
    @Override
    public void close() {
        feeds.forEach(feed -> feed.values().forEach(OnnxTensor::close));
        feeds.clear();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private static void checkInputs(ModelSession session, Map<String, TensorInfo> inputs) throws EvaluationException {
        Set<String> fed = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
        for (Map.Entry<String, TensorInfo> input : inputs.entrySet()) {
            if (!fed.contains(input.getKey())) {
                throw new EvaluationException(session.description() + " has an input " + input.getKey()
                        + "; the embedding evaluator feeds only " + INPUT_IDS + ", " + ATTENTION_MASK + " and " + TOKEN_TYPE_IDS);
            }
            if (input.getValue().type != OnnxJavaType.INT64) {
                throw new EvaluationException("input " + input.getKey() + " of " + session.description() + " holds "
                        + input.getValue().type + "; token inputs are int64");
            }
        }
        if (!inputs.containsKey(INPUT_IDS)) {
            throw new EvaluationException(session.description() + " has no input " + INPUT_IDS + " (its inputs are "
                    + inputs.keySet() + "); is it a BERT-style text encoder?");
        }
    }

    private static String pickOutput(ModelSession session, String wanted) throws EvaluationException {
        Map<String, TensorInfo> outputs = session.outputs();
        if (wanted != null) {
            if (!outputs.containsKey(wanted)) {
                throw new EvaluationException(session.description() + " has no output " + wanted + "; its outputs are " + outputs.keySet());
            }
            return wanted;
        }
        if (outputs.containsKey(LAST_HIDDEN_STATE)) {
            return LAST_HIDDEN_STATE;
        }
        if (outputs.size() == 1) {
            return outputs.keySet().iterator().next();
        }
        throw new EvaluationException(session.description() + " has outputs " + outputs.keySet() + " and none is "
                + LAST_HIDDEN_STATE + "; name the token states or the sentence embedding with EmbeddingFidelity.Builder.outputName(...)");
    }

    private void pool(OnnxValue value, SentenceTokenizer.Batch batch, String output, String description,
                      float[][] embeddings) throws EvaluationException, OrtException {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new EvaluationException("output " + output + " of " + description + " is not a float tensor: " + value.getInfo());
        }
        long[] shape = tensor.getInfo().getShape();
        boolean tokenStates = shape.length == 3;
        if (!(tokenStates || shape.length == 2) || shape[0] != batch.rows() || (tokenStates && shape[1] != batch.length())) {
            throw new EvaluationException("output " + output + " of " + description + " has shape " + Arrays.toString(shape)
                    + " for " + batch.rows() + " sentences of " + batch.length() + " tokens; expected [sentences, tokens, dim]"
                    + " (token states) or [sentences, dim] (pooled embeddings)");
        }
        int dim = Math.toIntExact(shape[shape.length - 1]);
        FloatBuffer values = tensor.getFloatBuffer();
        for (int row = 0; row < batch.rows(); row++) {
            float[] embedding = tokenStates
                    ? SentenceEmbeddings.meanPool(values, row, batch.length(), dim, batch.attentionMask())
                    : SentenceEmbeddings.pooledRow(values, row, dim);
            int sentence = batch.sentences()[row];
            for (float v : embedding) {
                if (!Float.isFinite(v)) {
                    throw new EvaluationException(description + " embeds sentence " + sentence + " (\"" + sentences.get(sentence)
                            + "\") with a non-finite value; the model's weights or an operator overflowed");
                }
            }
            embeddings[sentence] = embedding;
        }
    }

    private OnnxTensor int64Tensor(long[] values, long[] shape) throws OrtException {
        MemorySegment memory = arena.allocate(ValueLayout.JAVA_LONG, values.length);
        MemorySegment.copy(values, 0, memory, ValueLayout.JAVA_LONG, 0, values.length);
        // A direct buffer over memory this object owns: ONNX Runtime reads it in place on every run.
        LongBuffer buffer = memory.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
        return OnnxTensor.createTensor(ModelSession.environment(), buffer, shape);
    }
}
