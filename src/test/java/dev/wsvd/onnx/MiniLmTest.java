package dev.wsvd.onnx;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2 (a real transformer export): its 36 Linear layers, and a full-rank rewrite in ONNX Runtime. */
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
                for (OnnxLayer layer : model.layers(SHAPES)) {
                    pairs.put(layer, exactFullRank(model.weight(layer)));
                }
                try (OnnxModel rewritten = model.rewrite(pairs)) {
                    assertEquals(72 + 637 - 36, rewritten.skeleton().getGraph().getNodeCount());
                    float[] expected = run(model);
                    float[] actual = run(rewritten);
                    // 384-term f32 dot products in a different association order: ~1e-6 relative
                    assertTrue(Runtime.relativeError(actual, expected) < 1e-4, "error " + Runtime.relativeError(actual, expected));
                }
            } finally {
                pairs.values().forEach(FactorPair::close);
            }
        }
    }

    /**
     * A rank-min(in, out) factorization with an identity on one side: {@code W = W · I} when in <= out,
     * {@code W = I · W} otherwise. Exact, so the rewritten model must compute what the original does.
     */
    private static FactorPair exactFullRank(Tensor weight) {
        int out = weight.rows();
        int in = weight.columns();
        int rank = Math.min(in, out);
        Tensor identity = Tensor.allocate(DType.F32, Shape.of(rank, rank));
        for (int i = 0; i < rank; i++) {
            identity.setFloat((long) i * rank + i, 1f);
        }
        Tensor copy = weight.copy();
        weight.close();
        return in <= out ? new FactorPair(rank, identity, null, copy, null) : new FactorPair(rank, copy, null, identity, null);
    }

    private static float[] run(OnnxModel model) throws Exception {
        long[] types = new long[IDS.length];
        return Runtime.run(model, Map.of(
                "input_ids", Runtime.Feed.longs(IDS, 2, SEQUENCE),
                "attention_mask", Runtime.Feed.longs(MASK, 2, SEQUENCE),
                "token_type_ids", Runtime.Feed.longs(types, 2, SEQUENCE))).get("last_hidden_state");
    }
}
