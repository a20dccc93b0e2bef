package dev.wsvd.onnx;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.tensor.FuzzLoop;
import dev.wsvd.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ONNX reader under {@link FuzzLoop}: each mutated model is read, its layers listed, every weight and bias read
 * and checked for finiteness, and the model serialized again. Allowed: success or {@link OnnxFormatException}.
 */
class OnnxFuzzTest {
    private static List<byte[]> onnxSeeds() {
        Random random = new Random(1);
        GraphProto cnn = GraphProto.newBuilder().setName("cnn")
                .addInput(value("x", FLOAT, "batch", 3, 8, 8))
                .addOutput(value("y", FLOAT, "batch", 4))
                .addValueInfo(value("f", FLOAT, "batch", 288))
                .addInitializer(floats("conv.w", dims(8, 3, 3, 3), random(random, 8 * 27)))
                .addInitializer(floats("conv.b", dims(8), random(random, 8)))
                .addInitializer(halves("fc.w", dims(4, 288), random(random, 4 * 288)))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(INT64).addDims(2).addInt64Data(1).addInt64Data(-1))
                .addNode(node("Conv", "conv", in("x", "conv.w", "conv.b"), out("c"), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)))
                .addNode(node("Reshape", "flatten", in("c", "shape"), out("f")))
                .addNode(node("Gemm", "fc", in("f", "fc.w"), out("y"), integer("transB", 1), real("alpha", 0.5f)))
                .build();
        GraphProto branch = GraphProto.newBuilder().setName("then")
                .addOutput(value("t", FLOAT, 1, 6))
                .addNode(node("MatMul", "inner", in("h", "inner.w"), out("t")))
                .build();
        GraphProto mlp = GraphProto.newBuilder().setName("mlp")
                .addInput(value("x", FLOAT, 1, 16))
                .addInput(value("cond", BOOL))
                .addOutput(value("y", FLOAT, 1, 6))
                .addInitializer(floats("w1", dims(16, 12), random(random, 192)))
                .addInitializer(floats("inner.w", dims(12, 6), random(random, 72)))
                .addNode(node("MatMul", "mm1", in("x", "w1"), out("h")))
                .addNode(node("If", "if", in("cond"), out("y"), graph("then_branch", branch), graph("else_branch", branch)))
                .build();
        return List.of(Graphs.model(cnn, 13).toByteArray(), Graphs.model(mlp, 13).toByteArray());
    }

    /** Reads an ONNX input the way inspect and compress do: the model, its layers, every weight and bias. */
    private static void readOnnx(byte[] bytes) throws Exception {
        try (OnnxModel model = OnnxModel.read(bytes)) {
            List<OnnxLayer> layers;
            try {
                layers = model.layers();
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().contains("input")) {
                    throw e;
                }
                return; // documented: symbolic input sizes the caller must give (a usage error in the CLI)
            }
            for (OnnxLayer layer : layers) {
                model.requireFiniteWeights(layer);
                if (layer.isCompressible()) {
                    try (Tensor weight = model.weight(layer); Tensor bias = model.bias(layer)) {
                        weight.shape();
                    }
                }
            }
            model.toByteArray();
        }
    }

    @Test
    void onnxReaderOnlyAcceptsOrRefusesWithAFormatError() {
        FuzzLoop.Outcome outcome = FuzzLoop.fuzz("onnx", onnxSeeds(), OnnxFuzzTest::readOnnx, OnnxFormatException.class);
        assertTrue(outcome.refused() > FuzzLoop.ITERATIONS / 10 && outcome.accepted() > 0,
                "the mutations should reach both outcomes: " + outcome);
    }
}
