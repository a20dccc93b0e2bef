package dev.wsvd;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.wsvd.ClassificationAccuracy;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.ModelSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's server use: bytes in, compressed, served by ONNX Runtime from the returned direct buffer, no
 * file anywhere.
 */
class InMemoryServingTest {

    @Test
    void aServerCompressesAndServesWithoutTouchingDisk() throws Exception {
        byte[] modelBytes;
        try (InputStream in = InMemoryServingTest.class.getResourceAsStream(FashionMnist.MODEL_RESOURCE)) {
            modelBytes = in.readAllBytes();
        }
        LabelledImages images = FashionMnist.testSlice().first(200);
        ModelSource model = ModelSource.of(modelBytes);
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(images).build()) {
            WeightSvdCompressor compressor = WeightSvdCompressor.builder().layerRatio("/fc1/Gemm", 0.1).evaluator(accuracy).build();
            CompressionResult result = compressor.compress(model);
            try {
                ByteBuffer compressed = result.toDirectByteBuffer();
                assertTrue(compressed.isDirect());
                assertEquals(null, result.stats().outputModel().location(), "nothing was written");
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                try (OrtSession session = environment.createSession(compressed, new OrtSession.SessionOptions())) {
                    assertEquals(result.stats().scores().compressed().value(), accuracyOf(session, images), 0.0,
                            "the served model is the one the statistics scored");
                }
                // The bytes also come as an array, equal to the buffer's.
                byte[] array = result.toByteArray();
                byte[] fromBuffer = new byte[compressed.remaining()];
                compressed.duplicate().get(fromBuffer);
                assertArrayEquals(fromBuffer, array);
                assertTrue(array.length < modelBytes.length / 2, "fc1 at 10% of its MACs: " + array.length + " bytes");
            } finally {
                result.close();
            }
            assertThrows(IllegalStateException.class, result::toDirectByteBuffer, "used after close");
        }
    }

    private static double accuracyOf(OrtSession session, LabelledImages images) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        int count = images.count();
        float[] values = images.values();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), new long[] {count, 1, 28, 28});
             OrtSession.Result output = session.run(Map.of("input", input))) {
            float[][] logits = (float[][]) output.get(0).getValue();
            int correct = 0;
            for (int i = 0; i < count; i++) {
                int best = 0;
                for (int k = 1; k < logits[i].length; k++) {
                    if (logits[i][k] > logits[i][best]) {
                        best = k;
                    }
                }
                correct += best == images.label(i) ? 1 : 0;
            }
            return (double) correct / count;
        }
    }
}
