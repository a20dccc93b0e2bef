package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.Factors;
import dev.wsvd.onnx.GraphPath;
import dev.wsvd.onnx.GraphScope;
import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The layer split (truncated SVD) applied through the ONNX rewrite, checked in ONNX Runtime: at full rank the
 * rewritten model computes what the original does; at rank r it computes what the original does with each
 * weight replaced by W_r = second · first (multiplied out here by brute force, stored in ONNX's layout).
 */
class SplitRewriteTest {
    // f32 SVD reconstructs a weight to ~1e-6 relative; the layers here add at most a few dozen such terms
    private static final double TOLERANCE = 1e-4;
    /** Four float16 ulps (2^-11 each) of the largest output. */
    static final double FLOAT16_TOLERANCE = 4 * 0x1p-11;

    private final Random random = new Random(2024);

    /** Splits every compressible layer at {@code rank(layer)}; the pairs are closed by the caller. */
    private static Map<OnnxLayer, FactorPair> split(OnnxModel model, ToIntFunction<LayerSvd> rank) throws Exception {
        Map<OnnxLayer, FactorPair> pairs = new LinkedHashMap<>();
        for (OnnxLayer layer : model.layers()) {
            if (!layer.isCompressible()) {
                continue;
            }
            try (Tensor weight = model.weight(layer); Tensor bias = model.bias(layer);
                 LayerSvd svd = LayerSvd.decompose(layer.geometry().orElseThrow(), weight, bias)) {
                pairs.put(layer, svd.factors(rank.applyAsInt(svd)));
            }
        }
        return pairs;
    }

    private static void close(Map<OnnxLayer, FactorPair> pairs) {
        pairs.values().forEach(FactorPair::close);
    }

    private static FactorPair pair(Map<OnnxLayer, FactorPair> pairs, String name) {
        return pairs.entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst().orElseThrow().getValue();
    }

    /** A rank near half the maximum, a multiple of the layer's groups. */
    private static int half(LayerSvd svd) {
        int step = svd.cost().rankStep();
        return Math.max(step, svd.maxRank() / 2 / step * step);
    }

    @Test
    void mlp() throws Exception {
        MlpRewriteTest.Weights w = new MlpRewriteTest.Weights(Graphs.random(random, 30), Graphs.random(random, 5),
                Graphs.random(random, 20), Graphs.random(random, 12), Graphs.random(random, 6));
        float[] input = Graphs.random(random, 12);
        Map<String, Runtime.Feed> feeds = Map.of("x", Runtime.Feed.floats(input, 2, 6));
        try (OnnxModel model = OnnxModel.read(MlpRewriteTest.mlp(w).toByteArray())) {
            assertFullRankReproduces(model, feeds, "y", TOLERANCE);
            Map<OnnxLayer, FactorPair> pairs = split(model, SplitRewriteTest::half);
            try (OnnxModel rewritten = LayerRewriter.rewrite(model, pairs)) {
                FactorPair fc1 = pair(pairs, "fc1");
                FactorPair proj = pair(pairs, "proj");
                FactorPair head = pair(pairs, "y");
                // fc1 folds alpha = 0.5 into the split weight: store W_r / alpha
                MlpRewriteTest.Weights truncated = new MlpRewriteTest.Weights(Factors.scale(Factors.linearProduct(fc1), 2f),
                        w.fc1Bias(), Factors.transpose(Factors.linearProduct(proj), 4, 5),
                        Factors.transpose(Factors.linearProduct(head), 3, 4), w.headC());
                assertMatchesReference(rewritten, model, MlpRewriteTest.mlp(truncated), feeds, "y", TOLERANCE);
            } finally {
                close(pairs);
            }
        }
    }

    @Test
    void cnn2d() throws Exception {
        CnnRewriteTest.Conv2dWeights w = new CnnRewriteTest.Conv2dWeights(Graphs.random(random, 216), Graphs.random(random, 8),
                Graphs.random(random, 72), Graphs.random(random, 54));
        Map<String, Runtime.Feed> feeds = Map.of("image", Runtime.Feed.floats(Graphs.random(random, 297), 1, 3, 11, 9));
        try (OnnxModel model = OnnxModel.read(CnnRewriteTest.cnn2d(w).toByteArray())) {
            assertFullRankReproduces(model, feeds, "y", TOLERANCE);
            Map<OnnxLayer, FactorPair> pairs = split(model, SplitRewriteTest::half);
            try (OnnxModel rewritten = LayerRewriter.rewrite(model, pairs)) {
                assertEquals(4, pair(pairs, "conv2").rank(), "grouped: a multiple of 2 groups");
                CnnRewriteTest.Conv2dWeights truncated = new CnnRewriteTest.Conv2dWeights(
                        Factors.convProduct(pair(pairs, "conv1"), 1), w.bias1(), Factors.convProduct(pair(pairs, "conv2"), 2), w.depthwise());
                assertMatchesReference(rewritten, model, CnnRewriteTest.cnn2d(truncated), feeds, "y", TOLERANCE);
            } finally {
                close(pairs);
            }
        }
    }

    @Test
    void cnn1dWithConstantNodeWeights() throws Exception {
        CnnRewriteTest.Conv1dWeights w = new CnnRewriteTest.Conv1dWeights(Graphs.random(random, 60), Graphs.random(random, 5),
                Graphs.random(random, 90));
        Map<String, Runtime.Feed> feeds = Map.of("signal", Runtime.Feed.floats(Graphs.random(random, 80), 1, 4, 20));
        try (OnnxModel model = OnnxModel.read(CnnRewriteTest.cnn1d(w).toByteArray())) {
            assertFullRankReproduces(model, feeds, "y", TOLERANCE);
            Map<OnnxLayer, FactorPair> pairs = split(model, SplitRewriteTest::half);
            try (OnnxModel rewritten = LayerRewriter.rewrite(model, pairs)) {
                CnnRewriteTest.Conv1dWeights truncated = new CnnRewriteTest.Conv1dWeights(
                        Factors.convProduct(pair(pairs, "a"), 1), w.bias1(), Factors.convProduct(pair(pairs, "b"), 1));
                assertMatchesReference(rewritten, model, CnnRewriteTest.cnn1d(truncated), feeds, "y", TOLERANCE);
            } finally {
                close(pairs);
            }
        }
    }

    @Test
    void ifBranches() throws Exception {
        float[] thenWeight = Graphs.random(random, 12);
        float[] outerWeight = Graphs.random(random, 12);
        float[] input = Graphs.random(random, 8);
        try (OnnxModel model = OnnxModel.read(IfBranchRewriteTest.model(thenWeight, outerWeight).toByteArray())) {
            for (boolean condition : new boolean[] {true, false}) {
                assertFullRankReproduces(model, Map.of("x", Runtime.Feed.floats(input, 2, 4), "cond", Runtime.Feed.bool(condition)),
                        "y", TOLERANCE);
            }
        }
    }

    @Test
    void float16() throws Exception {
        try (OnnxModel model = OnnxModel.read(Float16RewriteTest.model(Graphs.random(random, 48), Graphs.random(random, 30),
                Graphs.random(random, 5)).toByteArray())) {
            // the factors are rounded to float16 (2^-11 relative) where the original weights were exact halves, and the
            // model computes in float16: the 1e-4 is below one half-precision ulp, so allow four (measured 4.6e-4)
            assertFullRankReproduces(model, Map.of("x", Runtime.Feed.floats(Graphs.random(random, 24), 3, 8)), "y", FLOAT16_TOLERANCE);
        }
    }

    private static void assertFullRankReproduces(OnnxModel model, Map<String, Runtime.Feed> feeds, String output,
                                                 double tolerance) throws Exception {
        Map<OnnxLayer, FactorPair> pairs = split(model, LayerSvd::maxRank);
        try (OnnxModel rewritten = LayerRewriter.rewrite(model, pairs)) {
            java.util.Set<String> nodes = new java.util.HashSet<>();
            new GraphScope(null, GraphPath.MAIN, rewritten.wire().skeleton().getGraph())
                    .visit(scope -> scope.graph().getNodeList().forEach(node -> nodes.add(node.getName())));
            for (OnnxLayer layer : pairs.keySet()) {
                assertTrue(!nodes.contains(layer.name()) && nodes.contains(layer.name() + ".0") && nodes.contains(layer.name() + ".1"),
                        layer.name() + " must be replaced by its pair: " + nodes);
            }
            double error = Runtime.relativeError(Runtime.run(rewritten, feeds).get(output), Runtime.run(model, feeds).get(output));
            assertTrue(error < tolerance, "full-rank rewrite differs by " + error);
        } finally {
            close(pairs);
        }
    }

    private static void assertMatchesReference(OnnxModel rewritten, OnnxModel original, ModelProto reference,
                                               Map<String, Runtime.Feed> feeds, String output, double tolerance) throws Exception {
        try (OnnxModel expected = OnnxModel.read(reference.toByteArray())) {
            float[] actual = Runtime.run(rewritten, feeds).get(output);
            double error = Runtime.relativeError(actual, Runtime.run(expected, feeds).get(output));
            assertTrue(error < tolerance, "rank-r rewrite differs from the W_r model by " + error);
            assertTrue(Runtime.relativeError(actual, Runtime.run(original, feeds).get(output)) > 10 * tolerance,
                    "truncation must change the outputs of random weights");
        }
    }
}
