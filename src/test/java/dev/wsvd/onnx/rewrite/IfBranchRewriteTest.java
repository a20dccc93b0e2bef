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
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Layers inside If branches: one whose weight is the branch's own initializer, one whose weight is an
 * initializer of the enclosing graph (outer scope). Both are found and split; both branches still run.
 */
class IfBranchRewriteTest {
    private static final double TOLERANCE = 1e-4; // f32 factors, products of 4 and 2 terms

    private final Random random = new Random(3);
    private final float[] input = Graphs.random(random, 2 * 4);

    static ModelProto model(float[] thenWeight, float[] outerWeight) {
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addInitializer(floats("then.w", dims(4, 3), thenWeight))
                .addNode(node("MatMul", "then_mm", in("x", "then.w"), out("then_out")))
                .addOutput(value("then_out", FLOAT, 2, 3))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(node("MatMul", "else_mm", in("x", "outer.w"), out("else_out")))
                .addOutput(value("else_out", FLOAT, 2, 3))
                .build();
        GraphProto main = GraphProto.newBuilder().setName("main")
                .addInput(value("x", FLOAT, 2, 4))
                .addInput(value("cond", BOOL))
                .addOutput(value("y", FLOAT, 2, 3))
                .addInitializer(floats("outer.w", dims(4, 3), outerWeight))
                .addNode(node("If", "branch", in("cond"), out("y"), graph("then_branch", thenBranch), graph("else_branch", elseBranch)))
                .build();
        return Graphs.model(main, 13);
    }

    private float[] run(OnnxModel model, boolean condition) throws Exception {
        return Runtime.run(model, Map.of("x", Runtime.Feed.floats(input, 2, 4), "cond", Runtime.Feed.bool(condition))).get("y");
    }

    @Test
    void layersInBothBranchesAreFoundAndSplit() throws Exception {
        FactorPair thenPair = Factors.randomLinear(random, 4, 3, 2, null);
        FactorPair elsePair = Factors.randomLinear(random, 4, 3, 1, null);
        float[] thenWeight = Graphs.random(random, 12);
        float[] outerWeight = Graphs.random(random, 12);
        try (OnnxModel model = OnnxModel.read(model(thenWeight, outerWeight).toByteArray());
             OnnxModel expected = OnnxModel.read(model(Factors.transpose(Factors.linearProduct(thenPair), 3, 4),
                     Factors.transpose(Factors.linearProduct(elsePair), 3, 4)).toByteArray())) {
            List<OnnxLayer> layers = model.layers();
            assertEquals(List.of("then_mm", "else_mm"), layers.stream().map(OnnxLayer::name).toList());
            assertEquals("then_branch of If 'branch'", layers.get(0).graph());
            assertEquals("else_branch of If 'branch'", layers.get(1).graph());
            assertTrue(layers.get(1).inSubgraph());
            assertEquals("outer.w", layers.get(1).weightName());
            assertEquals(new LinearGeometry(4, 3, false), layers.get(1).geometry().orElseThrow());
            assertTrue(layers.get(0).macsKnown());

            try (OnnxModel rewritten = LayerRewriter.rewrite(model, Map.of(layers.get(0), thenPair, layers.get(1), elsePair))) {
                for (boolean condition : new boolean[] {true, false}) {
                    float[] actual = run(rewritten, condition);
                    assertTrue(Runtime.relativeError(actual, run(expected, condition)) < TOLERANCE, "branch " + condition);
                    assertTrue(Runtime.relativeError(actual, run(model, condition)) > 0.1, "branch " + condition);
                }
                GraphProto main = rewritten.wire().skeleton().getGraph();
                // the outer weight has no user left, so it is gone; the new weights live in the branch
                assertTrue(main.getInitializerList().isEmpty());
                GraphProto elseBranch = main.getNode(0).getAttribute(1).getG();
                assertEquals(List.of("else_mm.0.weight", "else_mm.1.weight"),
                        elseBranch.getInitializerList().stream().map(TensorProto::getName).toList());
                List<String> rewrittenLayers = rewritten.layers().stream().map(OnnxLayer::name).toList();
                assertEquals(List.of("then_mm.0", "then_mm.1", "else_mm.0", "else_mm.1"), rewrittenLayers);
            }
        } finally {
            thenPair.close();
            elsePair.close();
        }
    }
}
