package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.Factors;
import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.tensor.Tensor;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An MLP with the three Linear encodings ONNX exporters use: Gemm with transB (alpha, beta and a bias vector),
 * MatMul with an {@code in x out} constant, and Gemm with transA and a full-matrix C. Checked in ONNX Runtime.
 */
class MlpRewriteTest {
    private static final float ALPHA = 0.5f;
    private static final float BETA = 2f;
    private static final float HEAD_BETA = 0.5f;
    // Factors are f32; products of a handful of Gaussian terms stay within a few f32 ulps of each other.
    private static final double TOLERANCE = 1e-4;

    private final Random random = new Random(42);
    private final float[] input = Graphs.random(random, 2 * 6);

    /** Stored weights as ONNX keeps them: fc1 {@code [5,6]} (transB), proj {@code [5,4]}, head {@code [4,3]}. */
    record Weights(float[] fc1, float[] fc1Bias, float[] proj, float[] head, float[] headC) {
    }

    private Weights randomWeights() {
        return new Weights(Graphs.random(random, 30), Graphs.random(random, 5), Graphs.random(random, 20),
                Graphs.random(random, 12), Graphs.random(random, 6));
    }

    static ModelProto mlp(Weights w) {
        GraphProto graph = GraphProto.newBuilder().setName("mlp")
                .addInput(value("x", FLOAT, 2, 6))
                .addOutput(value("y", FLOAT, 2, 3))
                .addInitializer(floats("fc1.w", dims(5, 6), w.fc1()))
                .addInitializer(floats("fc1.b", dims(5), w.fc1Bias()))
                .addInitializer(floats("proj.w", dims(5, 4), w.proj()))
                .addInitializer(floats("head.w", dims(4, 3), w.head()))
                .addInitializer(floats("head.c", dims(2, 3), w.headC()))
                .addNode(node("Gemm", "fc1", in("x", "fc1.w", "fc1.b"), out("h1"),
                        integer("transB", 1), real("alpha", ALPHA), real("beta", BETA)))
                .addNode(node("Relu", "relu", in("h1"), out("h2")))
                .addNode(node("MatMul", "proj", in("h2", "proj.w"), out("h3")))
                .addNode(node("Transpose", "t", in("h3"), out("h3t")))
                // unnamed: wsvd names it after its output
                .addNode(node("Gemm", "", in("h3t", "head.w", "head.c"), out("y"),
                        integer("transA", 1), real("beta", HEAD_BETA)))
                .build();
        return Graphs.model(graph, 13);
    }

    private float[] run(OnnxModel model) throws Exception {
        return Runtime.run(model, Map.of("x", Runtime.Feed.floats(input, 2, 6))).get("y");
    }

    @Test
    void findsTheThreeLinearLayersWithTheirGeometry() throws Exception {
        try (OnnxModel model = OnnxModel.read(mlp(randomWeights()).toByteArray())) {
            List<OnnxLayer> layers = model.layers();
            assertEquals(List.of("fc1", "proj", "y"), layers.stream().map(OnnxLayer::name).toList());
            assertEquals(new LinearGeometry(6, 5, true), layers.get(0).geometry().orElseThrow());
            assertEquals(new LinearGeometry(5, 4, false), layers.get(1).geometry().orElseThrow());
            // C of shape [2, 3] is not a per-output bias: it stays on the second node as it is
            assertEquals(new LinearGeometry(4, 3, false), layers.get(2).geometry().orElseThrow());
            assertTrue(layers.stream().allMatch(OnnxLayer::isCompressible));
        }
    }

    @Test
    void weightAndBiasComeInTheReferenceLayoutWithAlphaAndBetaFolded() throws Exception {
        Weights w = randomWeights();
        try (OnnxModel model = OnnxModel.read(mlp(w).toByteArray())) {
            try (Tensor fc1 = model.weight(model.layer("fc1")); Tensor bias = model.bias(model.layer("fc1"));
                 Tensor proj = model.weight(model.layer("proj")); Tensor head = model.weight(model.layer("y"))) {
                assertArrayEquals(Factors.scale(w.fc1(), ALPHA), fc1.toFloatArray());
                assertEquals(dev.wsvd.tensor.Shape.of(5, 6), fc1.shape());
                assertArrayEquals(Factors.scale(w.fc1Bias(), BETA), bias.toFloatArray());
                assertArrayEquals(Factors.transpose(w.proj(), 5, 4), proj.toFloatArray());
                assertEquals(dev.wsvd.tensor.Shape.of(4, 5), proj.shape());
                assertArrayEquals(Factors.transpose(w.head(), 4, 3), head.toFloatArray());
            }
            assertNull(model.bias(model.layer("y")));
        }
    }

    @Test
    void rankRRewriteMatchesTheModelWhoseWeightsAreTheFactorProducts() throws Exception {
        Weights original = randomWeights();
        FactorPair fc1 = Factors.randomLinear(random, 6, 5, 3, Factors.scale(original.fc1Bias(), BETA));
        FactorPair proj = Factors.randomLinear(random, 5, 4, 2, null);
        FactorPair head = Factors.randomLinear(random, 4, 3, 2, null);
        // the reference stores W_r the way ONNX does: fc1 as [out, in] / alpha, proj and head as [in, out]
        Weights reference = new Weights(Factors.scale(Factors.linearProduct(fc1), 1 / ALPHA), original.fc1Bias(),
                Factors.transpose(Factors.linearProduct(proj), 4, 5), Factors.transpose(Factors.linearProduct(head), 3, 4),
                original.headC());
        try (OnnxModel model = OnnxModel.read(mlp(original).toByteArray());
             OnnxModel expected = OnnxModel.read(mlp(reference).toByteArray())) {
            Map<OnnxLayer, FactorPair> pairs = new LinkedHashMap<>();
            pairs.put(model.layer("fc1"), fc1);
            pairs.put(model.layer("proj"), proj);
            pairs.put(model.layer("y"), head);
            try (OnnxModel rewritten = LayerRewriter.rewrite(model, pairs)) {
                pairs.values().forEach(FactorPair::close); // the rewrite copied them
                float[] actual = run(rewritten);
                assertTrue(Runtime.relativeError(actual, run(expected)) < TOLERANCE);
                assertTrue(Runtime.relativeError(actual, run(model)) > 0.1, "the factors must have replaced the weights");
                checkStructure(rewritten.wire().skeleton());
                // the source model is untouched
                assertEquals(5, model.wire().skeleton().getGraph().getNodeCount());
            }
        }
    }

    private static void checkStructure(ModelProto rewritten) {
        GraphProto graph = rewritten.getGraph();
        assertEquals(List.of("fc1.0", "fc1.1", "relu", "proj.0", "proj.1", "t", "y.0", "y.1"),
                graph.getNodeList().stream().map(NodeProto::getName).toList());
        assertEquals(List.of("Gemm", "Gemm", "Relu", "MatMul", "MatMul", "Transpose", "Gemm", "Gemm"),
                graph.getNodeList().stream().map(NodeProto::getOpType).toList());
        Set<String> initializers = new HashSet<>(graph.getInitializerList().stream().map(TensorProto::getName).toList());
        assertEquals(Set.of("head.c", "fc1.0.weight", "fc1.0.bias", "fc1.1.weight", "fc1.1.bias", "proj.0.weight",
                "proj.1.weight", "y.0.weight", "y.1.weight"), initializers);
        assertEquals(13, rewritten.getOpsetImport(0).getVersion());
        assertTopologicallySorted(graph);
    }

    static void assertTopologicallySorted(GraphProto graph) {
        Set<String> defined = new HashSet<>();
        graph.getInputList().forEach(v -> defined.add(v.getName()));
        graph.getInitializerList().forEach(t -> defined.add(t.getName()));
        for (NodeProto node : graph.getNodeList()) {
            for (String input : node.getInputList()) {
                assertTrue(input.isEmpty() || defined.contains(input), node.getName() + " reads " + input + " before it is defined");
            }
            defined.addAll(node.getOutputList());
        }
    }
}
