package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Random;

import static dev.wsvd.onnx.Graphs.FLOAT;
import static dev.wsvd.onnx.Graphs.dims;
import static dev.wsvd.onnx.Graphs.floats;
import static dev.wsvd.onnx.Graphs.in;
import static dev.wsvd.onnx.Graphs.node;
import static dev.wsvd.onnx.Graphs.out;
import static dev.wsvd.onnx.Graphs.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The residual a layer writes into, found from the graph's shape alone, and the near misses that are not one. */
class ResidualStreamsTest {
    private final Random random = new Random(5);

    /** x → MatMul → (bias Add) → Add with {@code residual} → out; extra nodes as given, inserted before the layer. */
    private Optional<String> residual(boolean bias, boolean biasFirst, String other, NodeProto... before) throws Exception {
        GraphProto.Builder graph = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, "n", 4))
                .addInitializer(floats("w", dims(4, 4), Graphs.random(random, 16)))
                .addInitializer(floats("b", dims(4), Graphs.random(random, 4)));
        for (NodeProto node : before) {
            graph.addNode(node);
        }
        graph.addNode(node("MatMul", "layer", in("x", "w"), out("y")));
        String sum = "y";
        if (bias) {
            graph.addNode(node("Add", "bias", biasFirst ? in("b", "y") : in("y", "b"), out("z")));
            sum = "z";
        }
        graph.addNode(node("Add", "residual", in(other, sum), out("out")));
        graph.addOutput(value("out", FLOAT, "n", 4));
        try (OnnxModel model = OnnxModel.read(Graphs.model(graph.build(), 13).toByteArray())) {
            return ResidualStreams.residualOf(model, model.layer("layer"));
        }
    }

    @Test
    void anAddOfAnEarlierValueAfterTheBiasIsAResidual() throws Exception {
        assertEquals(Optional.of("x"), residual(true, false, "x"), "a graph input");
        assertEquals(Optional.of("x"), residual(true, true, "x"), "the bias Add's operands in either order");
        assertEquals(Optional.of("x"), residual(false, false, "x"), "no bias Add");
        assertEquals(Optional.of("r"), residual(true, false, "r", node("Relu", "early", in("x"), out("r"))),
                "a value computed before the layer");
    }

    @Test
    void nearMissesAreNotResiduals() throws Exception {
        assertEquals(Optional.empty(), residual(true, false, "b"), "an Add of a constant is a bias, not a residual");
        GraphProto graph = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, "n", 4))
                .addInitializer(floats("w", dims(4, 4), Graphs.random(random, 16)))
                .addNode(node("MatMul", "layer", in("x", "w"), out("y")))
                .addNode(node("Relu", "late", in("x"), out("r")))
                .addNode(node("Add", "add", in("y", "r"), out("out")))
                .addNode(node("MatMul", "twice", in("x", "w"), out("y2")))
                .addNode(node("Add", "a", in("y2", "x"), out("s")))
                .addNode(node("Mul", "m", in("y2", "x"), out("p")))
                .addOutput(value("out", FLOAT, "n", 4)).addOutput(value("s", FLOAT, "n", 4)).addOutput(value("p", FLOAT, "n", 4))
                .build();
        try (OnnxModel model = OnnxModel.read(Graphs.model(graph, 13).toByteArray())) {
            assertEquals(Optional.empty(), ResidualStreams.residualOf(model, model.layer("layer")),
                    "the other operand is computed after the layer");
            assertEquals(Optional.empty(), ResidualStreams.residualOf(model, model.layer("twice")),
                    "the output is read by more than the Add");
        }
    }
}
