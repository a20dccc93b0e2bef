package dev.wsvd.onnx;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.wire.OnnxFormatException;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Models ONNX Runtime would reject, which wsvd used to split and write out equally broken (issue 10, item 10):
 * each is refused when its layers are listed, with the layer's name and what disagrees.
 */
class InconsistentLayerTest {
    private static final Random RANDOM = new Random(10);

    /** Conv (3 -> 8, 3x3) on 1x3x8x8 with a bias, then Gemm (288 -> 4, transB) with a bias: consistent. */
    private static GraphProto.Builder valid() {
        return GraphProto.newBuilder().setName("g")
                .addInput(value("x", FLOAT, 1, 3, 8, 8))
                .addOutput(value("y", FLOAT, 1, 4))
                .addValueInfo(value("f", FLOAT, 1, 288))
                .addInitializer(floats("conv.w", dims(8, 3, 3, 3), random(RANDOM, 8 * 27)))
                .addInitializer(floats("conv.b", dims(8), random(RANDOM, 8)))
                .addInitializer(floats("fc.w", dims(4, 288), random(RANDOM, 4 * 288)))
                .addInitializer(floats("fc.b", dims(4), random(RANDOM, 4)))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(INT64).addDims(2).addInt64Data(1).addInt64Data(-1))
                .addNode(node("Conv", "conv", in("x", "conv.w", "conv.b"), out("c"), ints("kernel_shape", 3, 3)))
                .addNode(node("Reshape", "flatten", in("c", "shape"), out("f")))
                .addNode(node("Gemm", "fc", in("f", "fc.w", "fc.b"), out("y"), integer("transB", 1)));
    }

    private static String refusal(UnaryOperator<GraphProto.Builder> change) throws Exception {
        byte[] bytes = Graphs.model(change.apply(valid()).build(), 13).toByteArray();
        try (OnnxModel model = OnnxModel.read(bytes)) {
            return assertThrows(OnnxFormatException.class, model::layers).getMessage();
        }
    }

    @Test
    void theValidModelIsAccepted() throws Exception {
        try (OnnxModel model = OnnxModel.read(Graphs.model(valid().build(), 13).toByteArray())) {
            assertEquals(2, model.layers().size());
            for (OnnxLayer layer : model.layers()) {
                model.requireFiniteWeights(layer);
            }
        }
    }

    @Test
    void convKernelShapeNotMatchingTheWeight() throws Exception {
        String message = refusal(g -> g.setNode(0, node("Conv", "conv", in("x", "conv.w", "conv.b"), out("c"), ints("kernel_shape", 5, 5))));
        assertTrue(message.contains("layer conv (Conv)") && message.contains("kernel_shape [5, 5]")
                && message.contains("[3, 3]"), message);
    }

    @Test
    void convInputChannelsNotMatchingTheWeight() throws Exception {
        String message = refusal(g -> g.setInput(0, value("x", FLOAT, 1, 4, 8, 8)));
        assertTrue(message.contains("layer conv (Conv)") && message.contains("4 channels") && message.contains("takes 3"), message);
    }

    @Test
    void convBiasOfTheWrongLength() throws Exception {
        String message = refusal(g -> g.setInitializer(1, floats("conv.b", dims(7), random(RANDOM, 7))));
        assertTrue(message.contains("layer conv (Conv)") && message.contains("bias has dims [7]"), message);
    }

    @Test
    void gemmTransBNotMatchingTheWeight() throws Exception {
        String message = refusal(g -> g.setNode(2, node("Gemm", "fc", in("f", "fc.w", "fc.b"), out("y"), integer("transB", 0))));
        assertTrue(message.contains("layer fc (Gemm)") && message.contains("transB 0"), message);
    }

    @Test
    void gemmBiasOfTheWrongLength() throws Exception {
        String message = refusal(g -> g.setInitializer(3, floats("fc.b", dims(5), random(RANDOM, 5))));
        assertTrue(message.contains("layer fc (Gemm)") && message.contains("[5]"), message);
    }

    @Test
    void aLayerWithoutOutputFoundByTheFuzzLoop() throws Exception {
        String message = refusal(g -> g.setNode(0, node("Conv", "conv", in("x", "conv.w", "conv.b"), out(), ints("kernel_shape", 3, 3))));
        assertTrue(message.contains("layer conv (Conv)") && message.contains("no output"), message);
    }

    @Test
    void aCyclicGraph() throws Exception {
        String message = refusal(g -> g.setNode(1, node("Reshape", "flatten", in("y", "shape"), out("f"))));
        assertTrue(message.contains("cycle") && message.contains("(Gemm)") | message.contains("(Reshape)"), message);
    }

    @Test
    void nonFiniteWeightsAreFoundInEveryLayer() throws Exception {
        float[] weight = random(RANDOM, 4 * 288);
        weight[300] = Float.POSITIVE_INFINITY;
        byte[] bytes = Graphs.model(valid().setInitializer(2, floats("fc.w", dims(4, 288), weight)).build(), 13).toByteArray();
        try (OnnxModel model = OnnxModel.read(bytes)) {
            OnnxLayer fc = model.layer("fc");
            String message = assertThrows(OnnxFormatException.class, () -> model.requireFiniteWeights(fc)).getMessage();
            assertTrue(message.contains("layer fc (Gemm)") && message.contains("Infinity") && message.contains("[1, 12]")
                    && message.contains("'fc.w'"), message);
        }
        float[] bias = random(RANDOM, 8);
        bias[6] = Float.NaN;
        bytes = Graphs.model(valid().setInitializer(1, floats("conv.b", dims(8), bias)).build(), 13).toByteArray();
        try (OnnxModel model = OnnxModel.read(bytes)) {
            OnnxLayer conv = model.layer("conv");
            String message = assertThrows(OnnxFormatException.class, () -> model.requireFiniteWeights(conv)).getMessage();
            assertTrue(message.contains("NaN at element [6] of its bias 'conv.b'"), message);
        }
    }
}
