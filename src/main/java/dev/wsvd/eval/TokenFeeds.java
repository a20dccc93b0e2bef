package dev.wsvd.eval;

import dev.wsvd.runtime.Feed;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.ValueInfo;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sentences tokenized once into input tensors this object owns, and the run that turns a text encoder's output
 * into one unit-length embedding per sentence. Read-only after construction, so sessions on several threads
 * may run the same feeds.
 */
public final class TokenFeeds implements AutoCloseable {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final SentenceTokenizer.Tokenized tokenized;
    private final List<SentenceTokenizer.Batch> batches;
    private final List<String> sentences;
    private final Arena arena = Arena.ofShared();
    private final List<Map<String, Feed>> feeds = new ArrayList<>();

    /**
     * Tokenizes {@code sentences} with a HuggingFace {@code tokenizer.json} (truncated to {@code maxTokens},
     * grouped by length into batches of {@code batchSize}, padded per batch) and builds the int64 input tensors.
     *
     * @param tokenizerJson the tokenizer definition; read fully, not closed
     * @param name          what messages call the tokenizer
     * @throws IOException      if the tokenizer cannot be read or used
     * @throws SessionException if the input tensors cannot be created
     */
    public static TokenFeeds tokenize(InputStream tokenizerJson, String name, List<String> sentences, int maxTokens,
                                      int batchSize) throws IOException, SessionException {
        return new TokenFeeds(SentenceTokenizer.tokenize(tokenizerJson, name, sentences, maxTokens, batchSize), sentences);
    }

    /** Copies every batch's ids, attention mask and token type ids into native int64 tensors. */
    TokenFeeds(SentenceTokenizer.Tokenized tokenized, List<String> sentences) throws SessionException {
        this.tokenized = tokenized;
        this.batches = tokenized.batches();
        this.sentences = List.copyOf(sentences);
        try {
            for (SentenceTokenizer.Batch batch : batches) {
                long[] shape = {batch.rows(), batch.length()};
                Map<String, Feed> feed = new HashMap<>();
                feeds.add(feed);
                feed.put(INPUT_IDS, int64(batch.ids(), shape));
                feed.put(ATTENTION_MASK, int64(batch.attentionMask(), shape));
                feed.put(TOKEN_TYPE_IDS, int64(batch.typeIds(), shape));
            }
        } catch (SessionException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** How many sentences were cut to the token limit. */
    public int truncatedSentences() {
        return tokenized.truncated();
    }

    /** A line for logs: tokens, batches and padding. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%d tokens in %d batches (%d with padding)", tokenized.realTokens(),
                batches.size(), tokenized.paddedTokens());
    }

    /**
     * Runs {@code session} over every batch and returns one unit-length embedding per sentence, in sentence
     * order: the output named {@code outputName} (or {@code last_hidden_state}, or the only output),
     * mean-pooled over the attention mask when it holds token states, taken as is when already pooled.
     */
    public float[][] embed(ModelSession session, String outputName) throws SessionException {
        Map<String, ValueInfo> inputs = session.inputs();
        checkInputs(session, inputs);
        String output = pickOutput(session, outputName);
        float[][] embeddings = new float[sentences.size()][];
        for (int b = 0; b < batches.size(); b++) {
            SentenceTokenizer.Batch batch = batches.get(b);
            Map<String, Feed> feed = new HashMap<>(feeds.get(b));
            feed.keySet().retainAll(inputs.keySet()); // e.g. encoders without token_type_ids
            try {
                session.run(feed, output, (shape, values) -> pool(shape, values, batch, output, session.description(), embeddings));
            } catch (SessionException e) {
                throw new SessionException(e.getMessage() + " (a batch of " + batch.rows() + " sentences of " + batch.length()
                        + " tokens)", e);
            }
        }
        return embeddings;
    }

    /** The number of batches the sentences were grouped into. */
    public int batchCount() {
        return batches.size();
    }

    /** Batch {@code index}'s input tensors by name (owned by these feeds: do not close them). */
    public Map<String, Feed> feeds(int index) {
        return Map.copyOf(feeds.get(index));
    }

    /** Batch {@code index}'s attention mask, {@code sentences x tokens} row-major (a copy). */
    public long[] attentionMask(int index) {
        return batches.get(index).attentionMask().clone();
    }

    /** The number of sentences in batch {@code index}. */
    public int sentences(int index) {
        return batches.get(index).rows();
    }

    /** Frees the tensors and their memory. */
    @Override
    public void close() {
        feeds.forEach(feed -> feed.values().forEach(Feed::close));
        feeds.clear();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private static void checkInputs(ModelSession session, Map<String, ValueInfo> inputs) throws SessionException {
        Set<String> fed = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
        for (ValueInfo input : inputs.values()) {
            if (!fed.contains(input.name())) {
                throw new SessionException(session.description() + " has an input " + input.name()
                        + "; the embedding evaluator feeds only " + INPUT_IDS + ", " + ATTENTION_MASK + " and " + TOKEN_TYPE_IDS);
            }
            if (!ValueInfo.INT64.equals(input.elementType())) {
                throw new SessionException("input " + input.name() + " of " + session.description() + " holds "
                        + input.elementType() + "; token inputs are int64");
            }
        }
        if (!inputs.containsKey(INPUT_IDS)) {
            throw new SessionException(session.description() + " has no input " + INPUT_IDS + " (its inputs are "
                    + inputs.keySet() + "); is it a BERT-style text encoder?");
        }
    }

    private static String pickOutput(ModelSession session, String wanted) throws SessionException {
        Map<String, ValueInfo> outputs = session.outputs();
        if (wanted != null) {
            if (!outputs.containsKey(wanted)) {
                throw new SessionException(session.description() + " has no output " + wanted + "; its outputs are " + outputs.keySet());
            }
            return wanted;
        }
        if (outputs.containsKey(LAST_HIDDEN_STATE)) {
            return LAST_HIDDEN_STATE;
        }
        if (outputs.size() == 1) {
            return outputs.keySet().iterator().next();
        }
        throw new SessionException(session.description() + " has outputs " + outputs.keySet() + " and none is "
                + LAST_HIDDEN_STATE + "; name the token states or the sentence embedding with EmbeddingFidelity.Builder.outputName(...)");
    }

    private Void pool(long[] shape, FloatBuffer values, SentenceTokenizer.Batch batch, String output, String description,
                      float[][] embeddings) throws SessionException {
        boolean tokenStates = shape.length == 3;
        if (!(tokenStates || shape.length == 2) || shape[0] != batch.rows() || (tokenStates && shape[1] != batch.length())) {
            throw new SessionException("output " + output + " of " + description + " has shape " + Arrays.toString(shape)
                    + " for " + batch.rows() + " sentences of " + batch.length() + " tokens; expected [sentences, tokens, dim]"
                    + " (token states) or [sentences, dim] (pooled embeddings)");
        }
        int dim = Math.toIntExact(shape[shape.length - 1]);
        for (int row = 0; row < batch.rows(); row++) {
            float[] embedding = tokenStates
                    ? SentenceEmbeddings.meanPool(values, row, batch.length(), dim, batch.attentionMask())
                    : SentenceEmbeddings.pooledRow(values, row, dim);
            int sentence = batch.sentences()[row];
            for (float v : embedding) {
                if (!Float.isFinite(v)) {
                    throw new SessionException(description + " embeds sentence " + sentence + " (\"" + sentences.get(sentence)
                            + "\") with a non-finite value; the model's weights or an operator overflowed");
                }
            }
            embeddings[sentence] = embedding;
        }
        return null;
    }

    private Feed int64(long[] values, long[] shape) throws SessionException {
        MemorySegment memory = arena.allocate(ValueLayout.JAVA_LONG, values.length);
        MemorySegment.copy(values, 0, memory, ValueLayout.JAVA_LONG, 0, values.length);
        return Feed.int64(memory, shape);
    }
}
