package dev.wsvd.onnx;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
            assertTrue(layers.stream().allMatch(l -> l.rowsPerSample() == SEQUENCE), "one row per token");
            OnnxLayer query = model.layer("/encoder/layer.0/attention/self/query/MatMul");
            assertEquals(new LinearGeometry(384, 384, false), query.geometry().orElseThrow());
            assertEquals(new LinearGeometry(384, 1536, false), model.layer("/encoder/layer.0/intermediate/dense/MatMul").geometry().orElseThrow());
            assertEquals(new LinearGeometry(1536, 384, false), model.layer("/encoder/layer.5/output/dense/MatMul").geometry().orElseThrow());
            // without input shapes nothing fails: MatMul MACs are then per row
            assertTrue(model.layers().stream().noneMatch(OnnxLayer::macsKnown));
        }
    }

    @Test
    void fullRankRewriteReproducesTheOutputs() throws Exception {
        try (OnnxModel model = OnnxModel.read(TestModels.miniLm())) {
            Map<OnnxLayer, FactorPair> pairs = new LinkedHashMap<>();
            try {
                // the first and last encoder layers (all three weight shapes): twelve SVDs instead of 36 keep this
                // test to a few seconds on two shared cores
                for (OnnxLayer layer : model.layers(SHAPES)) {
                    if (!layer.name().startsWith("/encoder/layer.0/") && !layer.name().startsWith("/encoder/layer.5/")) {
                        continue;
                    }
                    try (Tensor weight = model.weight(layer);
                         LayerSvd svd = LayerSvd.decompose(layer.geometry().orElseThrow(), weight)) {
                        pairs.put(layer, svd.factors(svd.maxRank()));
                    }
                }
                try (OnnxModel rewritten = model.rewrite(pairs)) {
                    assertEquals(12, pairs.size());
                    assertEquals(637 + 12, rewritten.skeleton().getGraph().getNodeCount());
                    float[] expected = run(model);
                    float[] actual = run(rewritten);
                    // f32 SVD reconstructs each weight to ~1e-6 relative; six encoder layers keep it far below 1e-4
                    assertTrue(Runtime.relativeError(actual, expected) < 1e-4, "error " + Runtime.relativeError(actual, expected));
                }
            } finally {
                pairs.values().forEach(FactorPair::close);
            }
        }
    }

    private static float[] run(OnnxModel model) throws Exception {
        long[] types = new long[IDS.length];
        return Runtime.run(model, Map.of(
                "input_ids", Runtime.Feed.longs(IDS, 2, SEQUENCE),
                "attention_mask", Runtime.Feed.longs(MASK, 2, SEQUENCE),
                "token_type_ids", Runtime.Feed.longs(types, 2, SEQUENCE))).get("last_hidden_state");
    }
}
