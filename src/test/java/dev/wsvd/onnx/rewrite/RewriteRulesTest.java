package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.Factors;
import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bookkeeping of a rewrite: shared weights, old IR and opset rules, name clashes, and bad pairs. */
class RewriteRulesTest {
    private final Random random = new Random(9);
    private final float[] input = Graphs.random(random, 4);

    /** Two MatMuls reading the same weight, as tied weights do. */
    private ModelProto sharedWeight(float[] weight) {
        GraphProto graph = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 1, 4))
                .addInitializer(floats("w", dims(4, 4), weight))
                .addNode(node("MatMul", "first", in("x", "w"), out("a")))
                .addNode(node("MatMul", "second", in("a", "w"), out("y")))
                .addOutput(value("y", FLOAT, 1, 4))
                .build();
        return Graphs.model(graph, 13);
    }

    @Test
    void aSharedWeightStaysUntilItsLastUserIsSplit() throws Exception {
        float[] weight = Graphs.random(random, 16);
        FactorPair pair = Factors.randomLinear(random, 4, 4, 2, null);
        float[] product = Factors.transpose(Factors.linearProduct(pair), 4, 4);
        try (OnnxModel model = OnnxModel.read(sharedWeight(weight).toByteArray())) {
            try (OnnxModel one = LayerRewriter.rewrite(model, model.layer("first"), pair)) {
                assertTrue(initializers(one).contains("w"), "'second' still reads w");
                // reference: first uses the product, second the original weight
                GraphProto reference = sharedWeight(weight).getGraph().toBuilder()
                        .addInitializer(floats("w_r", dims(4, 4), product))
                        .setNode(0, node("MatMul", "first", in("x", "w_r"), out("a"))).build();
                try (OnnxModel expected = OnnxModel.read(Graphs.model(reference, 13).toByteArray())) {
                    assertTrue(Runtime.relativeError(run(one), run(expected)) < 1e-4);
                }
            }
            try (OnnxModel both = LayerRewriter.rewrite(model, Map.of(model.layer("first"), pair, model.layer("second"), pair));
                 OnnxModel expected = OnnxModel.read(sharedWeight(product).toByteArray())) {
                assertFalse(initializers(both).contains("w"), "no user left");
                assertTrue(Runtime.relativeError(run(both), run(expected)) < 1e-4);
            }
        } finally {
            pair.close();
        }
    }

    private float[] run(OnnxModel model) throws Exception {
        return Runtime.run(model, Map.of("x", Runtime.Feed.floats(input, 1, 4))).get("y");
    }

    private static List<String> initializers(OnnxModel model) {
        return model.wire().skeleton().getGraph().getInitializerList().stream().map(TensorProto::getName).toList();
    }

    @Test
    void oldIrVersionsListNewInitializersAsInputsAndOldOpsetsGetTheRequiredGemmBias() throws Exception {
        float[] weight = Graphs.random(random, 12);
        GraphProto graph = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 1, 4))
                .addInput(value("w", FLOAT, 3, 4)) // IR 3: every initializer is also an input
                .addInitializer(floats("w", dims(3, 4), weight))
                .addNode(node("Gemm", "fc", in("x", "w"), out("y"), integer("transB", 1)))
                .addOutput(value("y", FLOAT, 1, 3))
                .build();
        ModelProto old = Graphs.model(graph, 9).toBuilder().setIrVersion(3).build();
        FactorPair pair = Factors.randomLinear(random, 4, 3, 2, null);
        try (OnnxModel model = OnnxModel.read(old.toByteArray()); OnnxModel rewritten = LayerRewriter.rewrite(model, model.layer("fc"), pair)) {
            GraphProto result = rewritten.wire().skeleton().getGraph();
            List<String> inputs = result.getInputList().stream().map(ValueInfoProto::getName).toList();
            assertEquals(List.of("x", "fc.0.weight", "fc.1.weight", "fc.0.bias", "fc.1.bias"), inputs);
            // Gemm before opset 11 requires C: zeros of the right length
            assertEquals(List.of("fc.0.output", "fc.1.weight", "fc.1.bias"), result.getNode(1).getInputList());
            float[] expected = Factors.multiply(input, 1, 4, Factors.transpose(Factors.linearProduct(pair), 3, 4), 3);
            float[] actual = Runtime.run(rewritten, Map.of("x", Runtime.Feed.floats(input, 1, 4))).get("y");
            assertTrue(Runtime.relativeError(actual, expected) < 1e-5);
        } finally {
            pair.close();
        }
    }

    @Test
    void newNamesNeverClashWithExistingOnes() throws Exception {
        GraphProto graph = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 1, 4))
                .addInitializer(floats("fc.0.weight", dims(4, 4), Graphs.random(random, 16))) // a name a rewrite would pick
                .addNode(node("MatMul", "fc", in("x", "fc.0.weight"), out("h")))
                .addNode(node("Relu", "fc.1", in("h"), out("y")))
                .addOutput(value("y", FLOAT, 1, 4))
                .build();
        FactorPair pair = Factors.randomLinear(random, 4, 4, 2, null);
        try (OnnxModel model = OnnxModel.read(Graphs.model(graph, 13).toByteArray());
             OnnxModel rewritten = LayerRewriter.rewrite(model, model.layer("fc"), pair)) {
            List<String> nodes = rewritten.wire().skeleton().getGraph().getNodeList().stream().map(NodeProto::getName).toList();
            assertEquals(List.of("fc.0", "fc.1#2", "fc.1"), nodes);
            assertEquals(List.of("fc.0.weight#2", "fc.1.weight"), initializers(rewritten));
            Runtime.run(rewritten, Map.of("x", Runtime.Feed.floats(input, 1, 4))); // loads and runs
        } finally {
            pair.close();
        }
    }

    @Test
    void pairsThatDoNotFitTheLayerAreRefusedWithTheLayerName() throws Exception {
        try (OnnxModel model = OnnxModel.read(sharedWeight(Graphs.random(random, 16)).toByteArray());
             OnnxModel other = OnnxModel.read(sharedWeight(Graphs.random(random, 16)).toByteArray())) {
            OnnxLayer first = model.layer("first");
            try (FactorPair wrongShape = Factors.randomLinear(random, 5, 4, 2, null)) {
                String message = assertThrows(IllegalArgumentException.class, () -> LayerRewriter.rewrite(model, first, wrongShape)).getMessage();
                assertTrue(message.contains("'first'") && message.contains("2x5") && message.contains("2x4"), message);
            }
            try (FactorPair withBias = Factors.randomLinear(random, 4, 4, 2, new float[4])) {
                String message = assertThrows(IllegalArgumentException.class, () -> LayerRewriter.rewrite(model, first, withBias)).getMessage();
                assertTrue(message.contains("no constant per-output bias"), message);
            }
            try (FactorPair notFinite = Factors.randomLinear(random, 4, 4, 2, null)) {
                notFinite.second().setFloat(3, Float.NaN);
                String message = assertThrows(IllegalArgumentException.class, () -> LayerRewriter.rewrite(model, first, notFinite)).getMessage();
                assertTrue(message.contains("'first'") && message.contains("NaN"), message);
            }
            try (FactorPair fine = Factors.randomLinear(random, 4, 4, 2, null)) {
                String message = assertThrows(IllegalArgumentException.class, () -> LayerRewriter.rewrite(other, first, fine)).getMessage();
                assertTrue(message.contains("was not listed by"), message);
            }
        }
    }

    @Test
    void weightsBeyondTwoGigabytesInExternalDataAreRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) throws Exception {
        // a sparse file: 2 GiB + 8 KiB long, but only the tensor at its end is written
        long offset = (1L << 31) + 4096;
        float[] values = Graphs.random(random, 4 * 128); // 2 KiB: large enough to be written as external data again
        java.nio.file.Path data = folder.resolve("big.data");
        try (var file = new java.io.RandomAccessFile(data.toFile(), "rw")) {
            file.setLength(offset + 4096);
            file.seek(offset);
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float value : values) {
                bytes.putFloat(value);
            }
            file.write(bytes.array());
        }
        TensorProto external = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(4).addDims(128)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", "big.data")).addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Integer.toString(4 * values.length))).build();
        GraphProto graph = GraphProto.newBuilder().addInput(value("x", FLOAT, 1, 4)).addInitializer(external)
                .addNode(node("MatMul", "fc", in("x", "w"), out("y"))).addOutput(value("y", FLOAT, 1, 128)).build();
        java.nio.file.Path file = folder.resolve("big.onnx");
        java.nio.file.Files.write(file, Graphs.model(graph, 13).toByteArray());
        try (OnnxModel model = OnnxModel.read(file); Tensor weight = model.weight(model.layer("fc"))) {
            assertEquals(Shape.of(128, 4), weight.shape());
            assertArrayEquals(Factors.transpose(values, 4, 128), weight.toFloatArray());
            model.write(folder.resolve("copy.onnx"));
            assertEquals(4L * values.length, java.nio.file.Files.size(folder.resolve("copy.onnx.data")), "only the tensor is copied");
        }
    }

    private static dev.wsvd.onnx.proto.Onnx.StringStringEntryProto entry(String key, String value) {
        return dev.wsvd.onnx.proto.Onnx.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
