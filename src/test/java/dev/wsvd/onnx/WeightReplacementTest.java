package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.wsvd.onnx.Graphs.FLOAT;
import static dev.wsvd.onnx.Graphs.dims;
import static dev.wsvd.onnx.Graphs.floats;
import static dev.wsvd.onnx.Graphs.in;
import static dev.wsvd.onnx.Graphs.integer;
import static dev.wsvd.onnx.Graphs.node;
import static dev.wsvd.onnx.Graphs.out;
import static dev.wsvd.onnx.Graphs.real;
import static dev.wsvd.onnx.Graphs.tensor;
import static dev.wsvd.onnx.Graphs.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which weights ONNX Runtime can swap at session creation without changing anything else, and the layout
 * they are swapped in. The graph: {@code x [1,4] -> MatMul a (W_a 4x3) -> MatMul b (W_s 3x3) -> MatMul c (W_s
 * again) -> Gemm d (W_d 3x2, transB 0, alpha 2) -> MatMul e (a Constant node's 2x2)}.
 */
class WeightReplacementTest {

    private static ModelProto graph() {
        Random random = new Random(7);
        GraphProto graph = GraphProto.newBuilder().setName("replace")
                .addInput(value("x", FLOAT, 1, 4))
                .addInitializer(floats("W_a", dims(4, 3), Graphs.random(random, 12)))
                .addInitializer(floats("W_s", dims(3, 3), Graphs.random(random, 9)))
                .addInitializer(floats("W_d", dims(3, 2), Graphs.random(random, 6)))
                .addNode(node("MatMul", "/a/MatMul", in("x", "W_a"), out("ya")))
                .addNode(node("MatMul", "/b/MatMul", in("ya", "W_s"), out("yb")))
                .addNode(node("MatMul", "/c/MatMul", in("yb", "W_s"), out("yc")))
                .addNode(node("Gemm", "/d/Gemm", in("yc", "W_d"), out("yd"), integer("transB", 0), real("alpha", 2f)))
                .addNode(node("Constant", "/k", in(), out("K"), tensor("value", floats("K", dims(2, 2), Graphs.random(random, 4)))))
                .addNode(node("MatMul", "/e/MatMul", in("yd", "K"), out("y")))
                .addValueInfo(value("ya", FLOAT, 1, 3))
                .addValueInfo(value("yb", FLOAT, 1, 3))
                .addValueInfo(value("yc", FLOAT, 1, 3))
                .addValueInfo(value("yd", FLOAT, 1, 2))
                .addOutput(value("y", FLOAT, 1, 2))
                .build();
        return Graphs.model(graph, 13);
    }

    @Test
    void onlyUnsharedMainGraphInitializersAreReplaceable() throws Exception {
        try (OnnxModel model = OnnxModel.read(graph().toByteArray())) {
            assertTrue(WeightReplacement.isReplaceable(model, model.layer("/a/MatMul")));
            assertFalse(WeightReplacement.isReplaceable(model, model.layer("/b/MatMul")), "W_s is read by two nodes");
            assertFalse(WeightReplacement.isReplaceable(model, model.layer("/c/MatMul")), "W_s is read by two nodes");
            assertTrue(WeightReplacement.isReplaceable(model, model.layer("/d/Gemm")));
            assertFalse(WeightReplacement.isReplaceable(model, model.layer("/e/MatMul")), "a Constant node is no initializer");
        }
    }

    @Test
    void theStoredLayoutUndoesTheReferenceLayout() throws Exception {
        ModelProto proto = graph();
        try (OnnxModel model = OnnxModel.read(proto.toByteArray())) {
            for (String name : new String[] {"/a/MatMul", "/d/Gemm"}) {
                OnnxLayer layer = model.layer(name);
                String initializer = layer.weightName();
                float[] stored = proto.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(initializer))
                        .findFirst().map(WeightReplacementTest::values).orElseThrow();
                // weight() transposes (MatMul in x out, Gemm without transB) and folds alpha = 2 in; both exact.
                try (Tensor reference = model.weight(layer); Tensor back = WeightReplacement.toStoredLayout(model, layer, reference)) {
                    assertArrayEquals(layer.weightShape().toArray(), back.shape().toArray());
                    assertArrayEquals(stored, back.toFloatArray(), 0f, name);
                }
            }
            OnnxLayer shared = model.layer("/b/MatMul");
            try (Tensor reference = model.weight(shared)) {
                assertThrows(IllegalArgumentException.class, () -> WeightReplacement.toStoredLayout(model, shared, reference));
            }
        }
    }

    private static float[] values(dev.wsvd.onnx.proto.Onnx.TensorProto tensor) {
        java.nio.FloatBuffer floats = tensor.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[floats.remaining()];
        floats.get(values);
        return values;
    }
}
