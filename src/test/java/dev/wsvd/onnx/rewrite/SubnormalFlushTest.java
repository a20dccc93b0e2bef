package dev.wsvd.onnx.rewrite;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Subnormals;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A weight with dead channels (exactly zero, as pruning or a ReLU that never fires leaves them) and nearly dead ones:
 * its SVD factors hold subnormal values, which would make every multiply touching them slow. The written factors
 * hold none, and the model computes what it did: ONNX Runtime's outputs of the original and of the full-rank split
 * agree to 1e-5 relative (float rounding of the split; the flushed values are below 1.2e-38 and change nothing
 * measurable), in float32 and in float16, whose subnormals begin at 6.1e-5.
 */
class SubnormalFlushTest {
    private static final int IN = 16;
    private static final int OUT = 12;
    private static final int ROWS = 4;

    /** x (4 x 16) · W (16 x 12): output channels 3 and 7 dead, input 5 dead, output 9 at 1e-36 of the others. */
    private static float[] weightWithDeadChannels(Random random, float tinyScale) {
        float[] w = new float[IN * OUT]; // stored in x out, as MatMul reads it
        for (int i = 0; i < IN; i++) {
            for (int o = 0; o < OUT; o++) {
                float value = (float) random.nextGaussian();
                if (o == 3 || o == 7 || i == 5) {
                    value = 0;
                } else if (o == 9) {
                    value *= tinyScale;
                }
                w[i * OUT + o] = value;
            }
        }
        return w;
    }

    private static ModelProto model(float[] weight, boolean half) {
        int type = half ? FLOAT16 : FLOAT;
        GraphProto.Builder graph = GraphProto.newBuilder().setName("dead").addInput(value("x", FLOAT, ROWS, IN))
                .addOutput(value("y", FLOAT, ROWS, OUT));
        if (half) {
            graph.addInitializer(halves("w", dims(IN, OUT), weight))
                    .addNode(node("Cast", "to_half", in("x"), out("xh"), integer("to", FLOAT16)))
                    .addNode(node("MatMul", "mm", in("xh", "w"), out("yh")))
                    .addNode(node("Cast", "to_float", in("yh"), out("y"), integer("to", FLOAT)));
        } else {
            graph.addInitializer(floats("w", dims(IN, OUT), weight)).addNode(node("MatMul", "mm", in("x", "w"), out("y")));
        }
        return Graphs.model(graph.build(), 13);
    }

    @Test
    void float32FactorsOfDeadChannelsHoldNoSubnormalAndComputeTheSame() throws Exception {
        check(false, 1e-36f);
    }

    @Test
    void float16FactorsOfDeadChannelsHoldNoSubnormalAndComputeTheSame() throws Exception {
        check(true, 1e-4f); // float16's subnormals begin at 6.1e-5: a channel at 1e-4 of the others has them in its factors
    }

    private static void check(boolean half, float tinyScale) throws Exception {
        Random random = new Random(42);
        float[] input = Graphs.random(random, ROWS * IN);
        try (OnnxModel model = OnnxModel.read(model(weightWithDeadChannels(random, tinyScale), half).toByteArray())) {
            var layer = model.layer("mm");
            long subnormalBefore;
            OnnxModel rewritten;
            try (Tensor weight = model.weight(layer);
                 LayerSvd svd = LayerSvd.decompose(layer.geometry().orElseThrow(), weight);
                 FactorPair pair = svd.factors(svd.maxRank())) {
                DType storage = half ? DType.F16 : DType.F32;
                try (Tensor first = pair.first().to(storage); Tensor second = pair.second().to(storage)) {
                    subnormalBefore = Subnormals.count(first) + Subnormals.count(second);
                }
                rewritten = LayerRewriter.rewrite(model, layer, pair);
            }
            try (rewritten) {
                // the test can fail: unflushed, these factors hold subnormal values
                assertTrue(subnormalBefore > 0, "the factors as computed hold subnormals: " + subnormalBefore);
                long subnormalWritten = 0;
                for (TensorProto initializer : rewritten.wire().skeleton().getGraph().getInitializerList()) {
                    try (Tensor stored = rewritten.wire().tensor(initializer)) {
                        assertEquals(half ? DType.F16 : DType.F32, stored.dtype());
                        subnormalWritten += Subnormals.count(stored);
                    }
                }
                assertEquals(0, subnormalWritten, "no written factor value is subnormal");
                float[] expected = Runtime.run(model, Map.of("x", Runtime.Feed.floats(input, ROWS, IN))).get("y");
                float[] actual = Runtime.run(rewritten, Map.of("x", Runtime.Feed.floats(input, ROWS, IN))).get("y");
                double error = Runtime.relativeError(actual, expected);
                System.out.printf("%s: %d subnormal factor values flushed; relative output error %.3g%n",
                        half ? "float16" : "float32", subnormalBefore, error);
                assertTrue(error < (half ? 2e-3 : 1e-5), "outputs agree: relative error " + error);
            }
        }
    }
}
