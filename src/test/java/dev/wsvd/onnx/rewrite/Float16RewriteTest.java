package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.Factors;
import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A float16 model: weights are widened for the split exactly and written back as float16. */
class Float16RewriteTest {
    private final Random random = new Random(11);
    private final float[] input = Graphs.random(random, 3 * 8);

    static ModelProto model(float[] matMul, float[] gemm, float[] bias) {
        GraphProto graph = GraphProto.newBuilder().setName("half")
                .addInput(value("x", FLOAT, 3, 8))
                .addOutput(value("y", FLOAT, 3, 5))
                .addInitializer(halves("mm.w", dims(8, 6), matMul))
                .addInitializer(halves("gm.w", dims(5, 6), gemm))
                .addInitializer(halves("gm.b", dims(5), bias))
                .addNode(node("Cast", "to_half", in("x"), out("xh"), integer("to", FLOAT16)))
                .addNode(node("MatMul", "mm", in("xh", "mm.w"), out("h")))
                .addNode(node("Gemm", "gm", in("h", "gm.w", "gm.b"), out("yh"), integer("transB", 1)))
                .addNode(node("Cast", "to_float", in("yh"), out("y"), integer("to", FLOAT)))
                .build();
        return Graphs.model(graph, 13);
    }

    private float[] run(OnnxModel model) throws Exception {
        return Runtime.run(model, Map.of("x", Runtime.Feed.floats(input, 3, 8))).get("y");
    }

    private static float[] roundedToHalf(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = Float.float16ToFloat(Float.floatToFloat16(values[i]));
        }
        return rounded;
    }

    @Test
    void weightsAreWidenedExactly() throws Exception {
        float[] matMul = Graphs.random(random, 48);
        try (OnnxModel model = OnnxModel.read(model(matMul, Graphs.random(random, 30), Graphs.random(random, 5)).toByteArray());
             Tensor weight = model.weight(model.layer("mm"))) {
            assertEquals("FLOAT16", model.layer("mm").weightType());
            assertEquals(DType.F32, weight.dtype());
            assertArrayEquals(Factors.transpose(roundedToHalf(matMul), 8, 6), weight.toFloatArray());
        }
    }

    @Test
    void factorsAreWrittenAsFloat16AndTheRewriteMatchesTheProductModel() throws Exception {
        float[] bias = Graphs.random(random, 5);
        FactorPair mm = Factors.randomLinear(random, 8, 6, 3, null);
        FactorPair gm = Factors.randomLinear(random, 6, 5, 2, roundedToHalf(bias));
        try (OnnxModel model = OnnxModel.read(model(Graphs.random(random, 48), Graphs.random(random, 30), bias).toByteArray());
             OnnxModel expected = OnnxModel.read(model(Factors.transpose(Factors.linearProduct(mm), 6, 8),
                     Factors.linearProduct(gm), bias).toByteArray());
             OnnxModel rewritten = LayerRewriter.rewrite(model, Map.of(model.layer("mm"), mm, model.layer("gm"), gm))) {
            TensorProto first = rewritten.wire().skeleton().getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().equals("mm.0.weight")).findFirst().orElseThrow();
            assertEquals(TensorProto.DataType.FLOAT16_VALUE, first.getDataType());
            try (Tensor stored = rewritten.wire().tensor(first)) {
                assertEquals(DType.F16, stored.dtype());
                // MatMul's first weight is first-factor transposed, each element rounded to the nearest half
                assertArrayEquals(roundedToHalf(Factors.transpose(mm.first().toFloatArray(), 3, 8)), stored.toFloatArray());
            }
            // Factors and the reference's product are rounded to float16 separately (2^-11 relative each), and
            // every activation is rounded too: a few half-precision ulps of the output magnitude (measured 6.2e-4).
            double error = Runtime.relativeError(run(rewritten), run(expected));
            assertTrue(error < SplitRewriteTest.FLOAT16_TOLERANCE, "error " + error);
            assertTrue(Runtime.relativeError(run(rewritten), run(model)) > 0.1);
        } finally {
            mm.close();
            gm.close();
        }
    }
}
