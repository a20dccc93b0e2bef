package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.Attributes;
import dev.wsvd.onnx.Factors;
import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.ConvGeometry;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Convolutions: 2-D with stride, asymmetric padding, dilation and bias; grouped; depthwise (reported, not
 * split); 1-D with weights in Constant nodes and auto_pad. Checked in ONNX Runtime.
 */
class CnnRewriteTest {
    // f32 factors; sums of up to 36 products of Gaussians round to a few ulps of their magnitude.
    private static final double TOLERANCE = 1e-4;

    private final Random random = new Random(7);
    private final float[] image = Graphs.random(random, 3 * 11 * 9);
    private final float[] signal = Graphs.random(random, 4 * 20);

    record Conv2dWeights(float[] conv1, float[] bias1, float[] conv2, float[] depthwise) {
    }

    private Conv2dWeights randomConv2d() {
        return new Conv2dWeights(Graphs.random(random, 8 * 3 * 3 * 3), Graphs.random(random, 8),
                Graphs.random(random, 6 * 4 * 3), Graphs.random(random, 6 * 9));
    }

    static ModelProto cnn2d(Conv2dWeights w) {
        GraphProto graph = GraphProto.newBuilder().setName("cnn")
                .addInput(value("image", FLOAT, 1, 3, 11, 9))
                .addOutput(value("y", FLOAT, 1, 6, 6, 6))
                .addInitializer(floats("conv1.w", dims(8, 3, 3, 3), w.conv1()))
                .addInitializer(floats("conv1.b", dims(8), w.bias1()))
                .addInitializer(floats("conv2.w", dims(6, 4, 1, 3), w.conv2()))
                .addInitializer(floats("dw.w", dims(6, 1, 3, 3), w.depthwise()))
                .addNode(node("Conv", "conv1", in("image", "conv1.w", "conv1.b"), out("h1"),
                        ints("strides", 2, 1), ints("pads", 1, 0, 2, 1), ints("dilations", 1, 2), ints("kernel_shape", 3, 3)))
                .addNode(node("Relu", "relu", in("h1"), out("h2")))
                .addNode(node("Conv", "conv2", in("h2", "conv2.w"), out("h3"), integer("group", 2), ints("pads", 0, 1, 0, 1)))
                .addNode(node("Conv", "dw", in("h3", "dw.w"), out("y"), integer("group", 6), ints("pads", 1, 1, 1, 1)))
                .build();
        return Graphs.model(graph, 13);
    }

    private float[] run2d(OnnxModel model) throws Exception {
        return Runtime.run(model, Map.of("image", Runtime.Feed.floats(image, 1, 3, 11, 9))).get("y");
    }

    @Test
    void conv2dGeometryComesFromTheAttributesAndAMeasuredOutputSize() throws Exception {
        try (OnnxModel model = OnnxModel.read(cnn2d(randomConv2d()).toByteArray())) {
            List<OnnxLayer> layers = model.layers();
            assertEquals(List.of("conv1", "conv2", "dw"), layers.stream().map(OnnxLayer::name).toList());
            // output: height (11 + 1 + 2 - 3) / 2 + 1 = 6, width (9 + 0 + 1 - 5) / 1 + 1 = 6
            assertEquals(new ConvGeometry(3, 8, 1, new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 0, 2, 1},
                    new int[] {1, 2}, new long[] {6, 6}, true), layers.get(0).geometry().orElseThrow());
            assertEquals(new ConvGeometry(8, 6, 2, new int[] {1, 3}, new int[] {1, 1}, new int[] {0, 1, 0, 1},
                    new int[] {1, 1}, new long[] {6, 6}, false), layers.get(1).geometry().orElseThrow());
            assertTrue(layers.get(0).isCompressible() && layers.get(1).isCompressible());
            assertTrue(layers.get(2).notCompressibleReason().orElseThrow().startsWith("depthwise"));
            assertEquals(SplitRefusal.Kind.DEPTHWISE_CONV, layers.get(2).refusal().orElseThrow().kind());
            assertTrue(layers.get(0).macsKnown());
        }
    }

    @Test
    void rankRRewriteMatchesTheModelWhoseWeightsAreTheFactorProducts() throws Exception {
        Conv2dWeights original = randomConv2d();
        FactorPair conv1 = Factors.randomConv(random, 3, 8, 1, 2, new int[] {3, 3}, original.bias1());
        FactorPair conv2 = Factors.randomConv(random, 8, 6, 2, 4, new int[] {1, 3}, null);
        Conv2dWeights reference = new Conv2dWeights(Factors.convProduct(conv1, 1), original.bias1(),
                Factors.convProduct(conv2, 2), original.depthwise());
        try (OnnxModel model = OnnxModel.read(cnn2d(original).toByteArray());
             OnnxModel expected = OnnxModel.read(cnn2d(reference).toByteArray());
             OnnxModel rewritten = LayerRewriter.rewrite(model, Map.of(model.layer("conv1"), conv1, model.layer("conv2"), conv2))) {
            float[] actual = run2d(rewritten);
            assertTrue(Runtime.relativeError(actual, run2d(expected)) < TOLERANCE);
            assertTrue(Runtime.relativeError(actual, run2d(model)) > 0.1);

            GraphProto graph = rewritten.wire().skeleton().getGraph();
            assertEquals(List.of("conv1.0", "conv1.1", "relu", "conv2.0", "conv2.1", "dw"),
                    graph.getNodeList().stream().map(NodeProto::getName).toList());
            NodeProto conv2First = graph.getNode(3);
            assertEquals(2, Attributes.integer(conv2First, "group", 0));
            assertArrayEquals(new long[] {1, 1}, Attributes.integers(conv2First, "kernel_shape", null));
            NodeProto conv1Second = graph.getNode(1);
            assertArrayEquals(new long[] {2, 1}, Attributes.integers(conv1Second, "strides", null));
            assertArrayEquals(new long[] {1, 0, 2, 1}, Attributes.integers(conv1Second, "pads", null));
            assertArrayEquals(new long[] {1, 2}, Attributes.integers(conv1Second, "dilations", null));
            assertEquals(List.of("conv1.0.output", "conv1.1.weight", "conv1.1.bias"), conv1Second.getInputList());
            MlpRewriteTest.assertTopologicallySorted(graph);
        } finally {
            conv1.close();
            conv2.close();
        }
    }

    record Conv1dWeights(float[] conv1, float[] bias1, float[] conv2) {
    }

    /** A 1-D CNN whose weights are Constant nodes, as some exporters write every weight. */
    static ModelProto cnn1d(Conv1dWeights w) {
        GraphProto graph = GraphProto.newBuilder().setName("cnn1d")
                .addInput(value("signal", FLOAT, 1, 4, 20))
                .addOutput(value("y", FLOAT, 1, 6, 5))
                .addNode(node("Constant", "w1", in(), out("w1"), tensor("value", floats("", dims(5, 4, 3), w.conv1()))))
                .addNode(node("Constant", "b1", in(), out("b1"), tensor("value", floats("", dims(5), w.bias1()))))
                .addNode(node("Conv", "a", in("signal", "w1", "b1"), out("h"),
                        ints("strides", 2), ints("pads", 1, 1), ints("dilations", 2)))
                .addNode(node("Constant", "w2", in(), out("w2"), tensor("value", floats("", dims(6, 5, 3), w.conv2()))))
                .addNode(node("Conv", "b", in("h", "w2"), out("y"), ints("strides", 2),
                        dev.wsvd.onnx.proto.Onnx.AttributeProto.newBuilder().setName("auto_pad")
                                .setType(dev.wsvd.onnx.proto.Onnx.AttributeProto.AttributeType.STRING)
                                .setS(com.google.protobuf.ByteString.copyFromUtf8("SAME_UPPER")).build()))
                .build();
        return Graphs.model(graph, 13);
    }

    private float[] run1d(OnnxModel model) throws Exception {
        return Runtime.run(model, Map.of("signal", Runtime.Feed.floats(signal, 1, 4, 20))).get("y");
    }

    @Test
    void conv1dWithConstantNodeWeights() throws Exception {
        Conv1dWeights original = new Conv1dWeights(Graphs.random(random, 60), Graphs.random(random, 5), Graphs.random(random, 90));
        FactorPair a = Factors.randomConv(random, 4, 5, 1, 3, new int[] {3}, original.bias1());
        FactorPair b = Factors.randomConv(random, 5, 6, 1, 2, new int[] {3}, null);
        Conv1dWeights reference = new Conv1dWeights(Factors.convProduct(a, 1), original.bias1(), Factors.convProduct(b, 1));
        try (OnnxModel model = OnnxModel.read(cnn1d(original).toByteArray());
             OnnxModel expected = OnnxModel.read(cnn1d(reference).toByteArray())) {
            List<OnnxLayer> layers = model.layers();
            // length (20 + 2 - 5) / 2 + 1 = 9, then SAME_UPPER with stride 2: ceil(9 / 2) = 5, total padding 2
            assertEquals(new ConvGeometry(4, 5, 1, new int[] {3}, new int[] {2}, new int[] {1, 1}, new int[] {2},
                    new long[] {9}, true), layers.get(0).geometry().orElseThrow());
            assertEquals(new ConvGeometry(5, 6, 1, new int[] {3}, new int[] {2}, new int[] {1, 1}, new int[] {1},
                    new long[] {5}, false), layers.get(1).geometry().orElseThrow());
            assertEquals("w1", layers.get(0).weightName());
            try (OnnxModel rewritten = LayerRewriter.rewrite(model, Map.of(layers.get(0), a, layers.get(1), b))) {
                float[] actual = run1d(rewritten);
                assertTrue(Runtime.relativeError(actual, run1d(expected)) < TOLERANCE);
                assertTrue(Runtime.relativeError(actual, run1d(model)) > 0.1);
                // the Constant nodes holding the replaced weights and bias are gone; nothing else is
                assertEquals(List.of("a.0", "a.1", "b.0", "b.1"),
                        rewritten.wire().skeleton().getGraph().getNodeList().stream().map(NodeProto::getName).toList());
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
