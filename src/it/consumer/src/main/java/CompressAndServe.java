import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.wsvd.*;

import java.nio.file.Path;

class CompressAndServe {
    static void compressAndServe(byte[] modelBytes) throws Exception {  // e.g. fetched from an object store
        ModelSource model = ModelSource.of(modelBytes);       // one copy into a direct buffer, shared from here on
        try (EmbeddingFidelity fidelity = EmbeddingFidelity.builder(model)
                .tokenizer(Path.of("tokenizer.json"))         // the model's own tokenizer
                .build()) {
            WeightSvdCompressor compressor = WeightSvdCompressor.builder()
                    .target(0.75)                             // keep 75% of the MACs
                    .evaluator(fidelity)
                    .inputShape("input_ids", 1, 128).inputShape("attention_mask", 1, 128).inputShape("token_type_ids", 1, 128)
                    .build();
            try (CompressionResult result = compressor.compress(model);
                 OrtSession session = OrtEnvironment.getEnvironment()
                         .createSession(result.toDirectByteBuffer(), new OrtSession.SessionOptions())) {
                CompressionStats stats = result.stats();
                System.out.printf("MAC ratio %.3f, mean cosine %.4f%n", stats.macRatio(), stats.scores().compressed().value());
                // serve requests with session.run(...)
            }
        }
    }
}
