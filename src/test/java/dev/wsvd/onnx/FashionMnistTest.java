package dev.wsvd.onnx;

import dev.wsvd.onnx.rewrite.LayerRewriter;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.ConvGeometry;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.tensor.Tensor;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The project's Fashion-MNIST CNN (exported by PyTorch): geometry against its model card, and a full-rank
 * split and rewrite of all four layers against the logits PyTorch computed.
 */
class FashionMnistTest {
    private static final String FOLDER = "/dev/wsvd/models/fashion-mnist/";
    private static final int IMAGES = 8;

    static Path model() throws Exception {
        return Path.of(FashionMnistTest.class.getResource(FOLDER + "fashion-mnist-cnn.onnx").toURI());
    }

    @Test
    void layersMatchTheModelCard() throws Exception {
        try (OnnxModel model = OnnxModel.read(model())) {
            List<OnnxLayer> layers = model.layers(); // batch is symbolic: counted as 1
            assertEquals(List.of("/conv1/Conv", "/conv2/Conv", "/fc1/Gemm", "/fc2/Gemm"), layers.stream().map(OnnxLayer::name).toList());
            assertEquals(new ConvGeometry(1, 32, 1, new int[] {5, 5}, new int[] {1, 1}, new int[] {2, 2, 2, 2}, new int[] {1, 1},
                    new long[] {28, 28}, true), layers.get(0).geometry().orElseThrow());
            assertEquals(new ConvGeometry(32, 64, 1, new int[] {5, 5}, new int[] {1, 1}, new int[] {2, 2, 2, 2}, new int[] {1, 1},
                    new long[] {14, 14}, true), layers.get(1).geometry().orElseThrow());
            assertEquals(new LinearGeometry(3136, 1024, true), layers.get(2).geometry().orElseThrow());
            assertEquals(new LinearGeometry(1024, 10, true), layers.get(3).geometry().orElseThrow());
            assertArrayEquals(Files.readAllBytes(model()), model.toByteArray(), "read and written back unchanged");
        }
    }

    @Test
    void fullRankRewriteReproducesPyTorchsLogits() throws Exception {
        float[] pixels = images();
        float[][] expected = expectedLogits();
        try (OnnxModel model = OnnxModel.read(model())) {
            Map<OnnxLayer, FactorPair> pairs = new LinkedHashMap<>();
            try {
                for (OnnxLayer layer : model.layers()) {
                    try (Tensor weight = model.weight(layer); Tensor bias = model.bias(layer);
                         LayerSvd svd = LayerSvd.decompose(layer.geometry().orElseThrow(), weight, bias)) {
                        pairs.put(layer, svd.factors(svd.maxRank()));
                    }
                }
                try (OnnxModel rewritten = LayerRewriter.rewrite(model, pairs)) {
                    assertEquals(12 + 4, rewritten.skeleton().getGraph().getNodeCount());
                    float[] logits = Runtime.run(rewritten, Map.of("input", Runtime.Feed.floats(pixels, IMAGES, 1, 28, 28))).get("logits");
                    for (int image = 0; image < IMAGES; image++) {
                        float[] row = java.util.Arrays.copyOfRange(logits, image * 10, image * 10 + 10);
                        // PyTorch vs ONNX Runtime differ by ~6e-6 on these logits (model card); f32 SVD adds ~1e-6
                        assertTrue(Runtime.relativeError(row, expected[image]) < 1e-4, "image " + image);
                    }
                }
            } finally {
                pairs.values().forEach(FactorPair::close);
            }
        }
    }

    private static float[] images() throws Exception {
        try (InputStream stream = FashionMnistTest.class.getResourceAsStream(FOLDER + "fashion-mnist-test-1000.bin");
             DataInputStream in = new DataInputStream(stream)) {
            byte[] magic = in.readNBytes(4);
            assertEquals("FMNS", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
            in.readInt();
            int size = in.readInt() * in.readInt();
            float[] pixels = new float[IMAGES * size];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = in.readUnsignedByte() / 255f;
            }
            return pixels;
        }
    }

    private static float[][] expectedLogits() throws Exception {
        List<String> lines = new String(FashionMnistTest.class.getResourceAsStream(FOLDER + "expected-logits-first8.csv").readAllBytes()).lines().toList();
        float[][] logits = new float[IMAGES][10];
        for (int image = 0; image < IMAGES; image++) {
            String[] fields = lines.get(image + 1).split(",");
            for (int k = 0; k < 10; k++) {
                logits[image][k] = Float.parseFloat(fields[3 + k]);
            }
        }
        return logits;
    }
}
