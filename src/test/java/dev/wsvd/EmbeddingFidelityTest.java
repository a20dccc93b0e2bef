package dev.wsvd;

import dev.wsvd.eval.SentenceEmbeddings;
import dev.wsvd.eval.WordNetGlosses;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EmbeddingFidelity on the embedded all-MiniLM-L6-v2 with the default WordNet sentences. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingFidelityTest {
    /** The bias added by the first layer's feed-forward output projection (hidden size 384). */
    private static final String LAYER0_OUTPUT_BIAS = "encoder.layer.0.output.dense.bias";

    private EmbeddingFidelity fidelity;

    @BeforeAll
    void buildOnce() throws Exception {
        long start = System.nanoTime();
        fidelity = EmbeddingFidelity.forAllMiniLmL6V2().build();
        System.out.printf("built in %.0f ms: %s%n", (System.nanoTime() - start) / 1e6, fidelity);
    }

    /** A builder over the already loaded MiniLM bytes (reading the 90 MB resource again would only cost time). */
    private EmbeddingFidelity.Builder sameModel() {
        return EmbeddingFidelity.builder(fidelity.baseline()).tokenizerResource(EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER);
    }

    @AfterAll
    void close() {
        fidelity.close();
    }

    @Test
    void theOriginalModelScoresOneAndItsOwnRetrievalAccuracy() throws Exception {
        Score score = fidelity.evaluate(fidelity.baseline());
        // A fresh session on the same bytes and inputs: the embeddings agree up to float rounding.
        assertEquals(1.0, score.value(), 1e-6);
        assertEquals(1.0, score.measure(EmbeddingFidelity.MIN_COSINE), 1e-6);
        assertEquals(fidelity.baselineRetrievalAccuracy(), score.measure(EmbeddingFidelity.RETRIEVAL_TOP1), 0.0);
        assertEquals(score.value(), fidelity.evaluate(fidelity.baseline(), 2).value(), 0.0);
        assertEquals(WordNetGlosses.DEFAULT_PAIR_COUNT, fidelity.pairs().size());
        assertEquals(0, fidelity.truncatedSentences(), "WordNet sentences are far shorter than 128 tokens");
        // Real sentence pairs are neither trivial nor hopeless for MiniLM: a meaningful range to degrade from.
        assertTrue(fidelity.baselineRetrievalAccuracy() > 0.3 && fidelity.baselineRetrievalAccuracy() < 0.95,
                "baseline retrieval " + fidelity.baselineRetrievalAccuracy());
    }

    @Test
    void aCorruptedWeightScoresStrictlyLower() throws Exception {
        try (Tensor zeros = Tensor.allocate(dev.wsvd.tensor.DType.F32, Shape.of(384))) {
            ModelSource corrupted = new CandidateSource(fidelity.baseline(), Map.of(LAYER0_OUTPUT_BIAS, zeros));
            long start = System.nanoTime();
            Score score = fidelity.evaluate(corrupted);
            System.out.printf("one evaluation of a corrupted MiniLM: %.0f ms, %s%n", (System.nanoTime() - start) / 1e6, score);
            // Zeroing one bias moves every embedding a little: well below 1, far from unrelated embeddings.
            assertTrue(score.value() < 1 - 1e-3, "mean cosine " + score.value());
            assertTrue(score.value() > 0.2, "mean cosine " + score.value());
            assertTrue(score.measure(EmbeddingFidelity.MIN_COSINE) <= score.value());
        }
    }

    @Test
    void paddingDoesNotChangeEmbeddings() throws Exception {
        List<Map.Entry<String, String>> pairs = fidelity.pairs().subList(0, 8);
        try (EmbeddingFidelity unpadded = sameModel().pairs(pairs).batchSize(1).build();
             EmbeddingFidelity padded = sameModel().pairs(pairs).batchSize(16).build()) {
            float[][] alone = unpadded.embeddings(unpadded.baseline());
            float[][] together = padded.embeddings(padded.baseline());
            for (int sentence = 0; sentence < alone.length; sentence++) {
                double norm = Math.sqrt(SentenceEmbeddings.dot(alone[sentence], alone[sentence]));
                assertEquals(1.0, norm, 1e-5, "unit length");
                for (int d = 0; d < alone[sentence].length; d++) {
                    // Different batch shapes change only the float summation order inside ONNX Runtime.
                    assertEquals(alone[sentence][d], together[sentence][d], 1e-5, "sentence " + sentence + ", component " + d);
                }
            }
        }
    }

    @Test
    void repeatedAndConcurrentEvaluationsAgreeAndReleaseTheirSessions() throws Exception {
        int openBefore = ModelSession.openCount();
        double first = fidelity.evaluate(fidelity.baseline(), 1).value();
        int calls = 8;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Double> scores = new ArrayList<>();
        long rssBefore;
        long rssAfter;
        long start;
        try {
            evaluateInParallel(pool, 2); // warm up: two sessions at once is the steady state
            rssBefore = residentBytesAfterGc();
            start = System.nanoTime();
            scores.addAll(evaluateInParallel(pool, calls));
            rssAfter = residentBytesAfterGc();
        } finally {
            pool.shutdown();
        }
        System.out.printf("%d evaluations, 2 at a time with 1 thread each: %.0f ms per evaluation; RSS %d MB -> %d MB%n",
                calls, (System.nanoTime() - start) / 1e6 / calls, rssBefore >> 20, rssAfter >> 20);
        for (double score : scores) {
            assertEquals(first, score, 1e-9, "the same model and inputs give the same score on any thread");
        }
        assertEquals(openBefore, ModelSession.openCount(), "every session is closed");
        // One leaked session would keep the model's 90 MB of weights: eight would add over 700 MB.
        assertTrue(rssAfter - rssBefore < 300L << 20, "resident memory grew by " + ((rssAfter - rssBefore) >> 20) + " MB");
    }

    @Test
    void modelsThatAreNotTextEncodersAreRejectedWithTheReason() {
        ModelSource imageModel = TinyOnnx.graph()
                .input("pixels", "batch", 4)
                .initializer("W", new float[4 * 2], 4, 2)
                .node("MatMul", List.of("pixels", "W"), List.of("scores"))
                .output("scores", "batch", 2)
                .toSource();
        EvaluationException e = assertThrows(EvaluationException.class, () -> fidelity.evaluate(imageModel));
        assertTrue(e.getMessage().contains("pixels") && e.getMessage().contains("input_ids"), e.getMessage());
    }

    @Test
    void builderReportsMissingPiecesClearly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ModelSource baseline = fidelity.baseline();
        assertThrows(IllegalStateException.class, () -> EmbeddingFidelity.builder(baseline).build());
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddingFidelity.builder(baseline).pairs(List.of(Map.entry("one sentence", "its partner"))));
        EvaluationException missing = assertThrows(EvaluationException.class,
                () -> EmbeddingFidelity.builder(baseline).tokenizerResource("/no-such-tokenizer.json").build());
        assertTrue(missing.getMessage().contains("/no-such-tokenizer.json"), missing.getMessage());
        Path broken = Files.writeString(dir.resolve("tokenizer.json"), "{ not json");
        EvaluationException garbage = assertThrows(EvaluationException.class,
                () -> EmbeddingFidelity.builder(baseline).tokenizer(broken).build());
        assertTrue(garbage.getMessage().contains(broken.toString()), garbage.getMessage());
    }

    @Test
    void truncationIsExplicitAndCounted() throws Exception {
        List<Map.Entry<String, String>> pairs = List.of(
                Map.entry("a short definition", "a short example sentence"),
                Map.entry("a definition that goes on for many more words than eight tokens allow",
                        "an example sentence that is also much longer than the limit of eight tokens"));
        try (EmbeddingFidelity truncating = sameModel().pairs(pairs).maxTokens(8).build()) {
            assertEquals(2, truncating.truncatedSentences());
            assertEquals(1.0, truncating.evaluate(truncating.baseline()).value(), 1e-6);
        }
    }

    @Test
    void evaluatingAfterCloseFailsLoudly() throws Exception {
        EmbeddingFidelity small = sameModel().pairs(fidelity.pairs().subList(0, 2)).build();
        small.close();
        assertThrows(IllegalStateException.class, () -> small.evaluate(small.baseline()));
    }

    private List<Double> evaluateInParallel(ExecutorService pool, int calls) throws Exception {
        List<Future<Double>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            futures.add(pool.submit(() -> fidelity.evaluate(fidelity.baseline(), 1).value()));
        }
        List<Double> scores = new ArrayList<>();
        for (Future<Double> future : futures) {
            scores.add(future.get());
        }
        return scores;
    }

    /**
     * Resident set size of this JVM from /proc (Linux), or 0 where it is not available, after a GC: ONNX
     * Runtime's output copies are Java buffers, garbage until collected, and would blur a native leak.
     */
    private static long residentBytesAfterGc() throws Exception {
        System.gc();
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
