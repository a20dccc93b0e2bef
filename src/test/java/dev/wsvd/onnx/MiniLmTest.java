package dev.wsvd.onnx;

import dev.wsvd.onnx.rewrite.LayerRewriter;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.Tensor;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2 (a real transformer export): its 36 Linear layers, and a full-rank split and rewrite in ONNX Runtime. */
class MiniLmTest {
    private static final int SEQUENCE = 8;
    // "[CLS] the cat sat on the mat [SEP]" and "[CLS] hello world [SEP]" padded, as BERT's WordPiece ids
    private static final long[] IDS = {101, 1996, 4937, 2938, 2006, 1996, 13523, 102, 101, 7592, 2088, 102, 0, 0, 0, 0};
    private static final long[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};

    private static final InputShapes SHAPES = InputShapes.parse(List.of(
            "input_ids=2x" + SEQUENCE, "attention_mask=2x" + SEQUENCE, "token_type_ids=2x" + SEQUENCE));

    @Test
    void hasThirtySixSplittableMatMulLayers() throws Exception {
        try (OnnxModel model = OnnxModel.read(TestModels.miniLm())) {
            List<OnnxLayer> layers = model.layers(SHAPES);
            assertEquals(36, layers.size());
            assertTrue(layers.stream().allMatch(l -> l.opType().equals("MatMul") && l.isCompressible() && l.macsKnown()));
            assertTrue(layers.stream().allMatch(l -> ((LinearGeometry) l.geometry().orElseThrow()).rowsPerSample() == SEQUENCE),
                    "one row per token");
            OnnxLayer query = model.layer("/encoder/layer.0/attention/self/query/MatMul");
            assertEquals(new LinearGeometry(384, 384, false, SEQUENCE), query.geometry().orElseThrow());
            assertEquals(new LinearGeometry(384, 1536, false, SEQUENCE), model.layer("/encoder/layer.0/intermediate/dense/MatMul").geometry().orElseThrow());
            assertEquals(new LinearGeometry(1536, 384, false, SEQUENCE), model.layer("/encoder/layer.5/output/dense/MatMul").geometry().orElseThrow());
            // without input shapes nothing fails: MatMul MACs are then per row
            assertTrue(model.layers().stream().noneMatch(OnnxLayer::macsKnown));
        }
    }

    /**
     * The round trip: read the file, split all 36 layers at full rank, write the result, read it back and
     * run it from disk. The source file must come out of it byte for byte as it went in.
     */
    @Test
    @SuppressWarnings("try") // the single-threaded section is held, not referenced
    void fullRankRewriteOfEveryLayerRoundTripsThroughAFile(@TempDir Path folder) throws Exception {
        Path source = TestModels.miniLm();
        byte[] sourceDigest = sha256(source);
        Path written = folder.resolve("minilm-full-rank.onnx");
        Map<OnnxLayer, FactorPair> pairs = new LinkedHashMap<>();
        // One BLAS thread: OpenBLAS's pool spins while it waits, and on two cores shared with other builds 36 SVDs took
        // 28 s with two threads against 3 s with one (measured here).
        try (OnnxModel model = OnnxModel.read(source); var oneBlasThread = OpenBlas.singleThreaded()) {
            for (OnnxLayer layer : model.layers(SHAPES)) {
                try (Tensor weight = model.weight(layer);
                     LayerSvd svd = LayerSvd.decompose(layer.geometry().orElseThrow(), weight)) {
                    pairs.put(layer, svd.factors(svd.maxRank()));
                }
            }
            try (OnnxModel rewritten = LayerRewriter.rewrite(model, pairs)) {
                rewritten.write(written);
            }
        } finally {
            pairs.values().forEach(FactorPair::close);
        }
        assertEquals(36, pairs.size());
        try (OnnxModel reread = OnnxModel.read(written)) {
            List<String> names = reread.layers(SHAPES).stream().map(OnnxLayer::name).toList();
            assertEquals(72, names.size());
            assertTrue(names.stream().allMatch(name -> name.endsWith(".0") || name.endsWith(".1")), names.toString());
            assertEquals(637 + 36, reread.skeleton().getGraph().getNodeCount());
        }
        float[] expected = outputs(Runtime.run(source, feeds()));
        float[] actual = outputs(Runtime.run(written, feeds()));
        // f32 SVD reconstructs each weight to ~1e-6 relative; six encoder layers keep the outputs far below 1e-4
        assertTrue(Runtime.relativeError(actual, expected) < 1e-4, "error " + Runtime.relativeError(actual, expected));
        assertArrayEquals(sourceDigest, sha256(source), "the source model was modified");
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        }
        return digest.digest();
    }

    private static Map<String, Runtime.Feed> feeds() {
        long[] types = new long[IDS.length];
        return Map.of(
                "input_ids", Runtime.Feed.longs(IDS, 2, SEQUENCE),
                "attention_mask", Runtime.Feed.longs(MASK, 2, SEQUENCE),
                "token_type_ids", Runtime.Feed.longs(types, 2, SEQUENCE));
    }

    private static float[] outputs(Map<String, float[]> outputs) {
        return outputs.get("last_hidden_state");
    }
}
