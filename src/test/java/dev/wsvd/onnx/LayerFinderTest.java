package dev.wsvd.onnx;

import dev.wsvd.onnx.rewrite.LayerRewriter;
import dev.wsvd.onnx.wire.OnnxFormatException;
import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.layer.SplitRefusal.Kind;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.SparseTensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which nodes are weight layers, why some cannot be split, and how unnamed layers are named. */
class LayerFinderTest {
    private final Random random = new Random(1);

    private TensorProto floatWeight(String name, long... dims) {
        int count = (int) java.util.Arrays.stream(dims).reduce(1, Math::multiplyExact);
        return floats(name, dims, Graphs.random(random, count));
    }

    /** The rows per sample a MatMul layer's geometry carries. */
    private static long rowsPerSample(OnnxLayer layer) {
        return ((LinearGeometry) layer.geometry().orElseThrow()).rowsPerSample();
    }

    private static TensorProto int8Weight(String name, long... dims) {
        int count = (int) java.util.Arrays.stream(dims).reduce(1, Math::multiplyExact);
        return tensor(name, dims, INT8, new byte[count]);
    }

    @Test
    void reportsLayersThatCannotBeSplitWithTheReason() throws Exception {
        GraphProto graph = GraphProto.newBuilder()
                .addInitializer(int8Weight("q.w", 8, 4))
                .addInitializer(floatWeight("ct.w", 3, 2, 3, 3))
                .addInitializer(floatWeight("c3.w", 2, 3, 3, 3, 3))
                .addInitializer(floatWeight("left.w", 4, 8))
                .addInitializer(int8Weight("dq.w", 8, 4))
                .addInitializer(floats("dq.scale", dims(), new float[] {0.1f}))
                .addInitializer(int8Weight("int.w", 8, 4))
                .addInitializer(floatWeight("batched.w", 2, 8, 4))
                .addSparseInitializer(SparseTensorProto.newBuilder().setValues(floatWeight("sparse.w", 1))
                        .setIndices(TensorProto.newBuilder().setDataType(INT64).addDims(1).addInt64Data(0)).addDims(8).addDims(4))
                .addNode(node("MatMulInteger", "q", in("xq", "q.w"), out("q.out")))
                .addNode(node("ConvTranspose", "ct", in("image", "ct.w"), out("ct.out")))
                .addNode(node("Conv", "c3", in("volume", "c3.w"), out("c3.out")))
                .addNode(node("MatMul", "left", in("left.w", "x"), out("left.out")))
                .addNode(node("DequantizeLinear", "dq", in("dq.w", "dq.scale"), out("dq.weight")))
                .addNode(node("MatMul", "deq", in("x", "dq.weight"), out("deq.out")))
                .addNode(node("MatMul", "int", in("x", "int.w"), out("int.out")))
                .addNode(node("MatMul", "batched", in("x", "batched.w"), out("batched.out")))
                .addNode(node("MatMul", "sparse", in("x", "sparse.w"), out("sparse.out")))
                .addNode(node("MatMul", "activations", in("x", "x"), out("xx")))
                .build();
        try (OnnxModel model = OnnxModel.read(Graphs.model(graph, 13).toByteArray())) {
            Map<String, String> reasons = model.layers().stream().collect(Collectors.toMap(OnnxLayer::name,
                    layer -> layer.notCompressibleReason().orElse("compressible")));
            assertEquals(List.of("q", "ct", "c3", "left", "deq", "int", "batched", "sparse"),
                    model.layers().stream().map(OnnxLayer::name).toList(), "a product of two activations is no weight layer");
            assertTrue(reasons.get("q").startsWith("quantized (MatMulInteger)"), reasons.get("q"));
            assertTrue(reasons.get("ct").startsWith("transposed convolution"), reasons.get("ct"));
            assertTrue(reasons.get("c3").startsWith("3-D convolution"), reasons.get("c3"));
            assertTrue(reasons.get("left").contains("left operand"), reasons.get("left"));
            assertTrue(reasons.get("deq").contains("DequantizeLinear"), reasons.get("deq"));
            assertTrue(reasons.get("int").startsWith("quantized: its weight holds INT8"), reasons.get("int"));
            assertTrue(reasons.get("batched").contains("3 dimensions"), reasons.get("batched"));
            assertTrue(reasons.get("sparse").contains("sparse"), reasons.get("sparse"));
            // the kind a compressor acts on, decided where the graph is read, never from the sentence
            Map<String, SplitRefusal.Kind> kinds = model.layers().stream().collect(Collectors.toMap(OnnxLayer::name,
                    layer -> layer.refusal().orElseThrow().kind()));
            assertEquals(Map.of("q", Kind.QUANTIZED, "ct", Kind.TRANSPOSED_CONV, "c3", Kind.CONV_3D, "left", Kind.UNSUPPORTED,
                    "deq", Kind.QUANTIZED, "int", Kind.QUANTIZED, "batched", Kind.UNSUPPORTED, "sparse", Kind.UNSUPPORTED), kinds);
            OnnxLayer quantized = model.layer("q");
            assertEquals("INT8", quantized.weightType());
            assertEquals("8x4", quantized.weightShape().toString());
            assertThrows(IllegalArgumentException.class, () -> model.weight(quantized));
            assertThrows(IllegalArgumentException.class, () -> LayerRewriter.rewrite(model, quantized, Factors.randomLinear(random, 8, 4, 1, null)));
        }
    }

    @Test
    void unnamedAndDuplicateNodesGetStableUniqueNames() throws Exception {
        GraphProto graph = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 1, 4))
                .addInitializer(floatWeight("w1", 4, 4))
                .addInitializer(floatWeight("w2", 4, 4))
                .addInitializer(floatWeight("w3", 4, 4))
                .addInitializer(floatWeight("w4", 4, 4))
                .addNode(node("MatMul", "", in("x", "w1"), out("a")))
                .addNode(node("MatMul", "dup", in("a", "w2"), out("b")))
                .addNode(node("MatMul", "dup", in("b", "w3"), out("c")))
                .addNode(node("MatMul", "a", in("c", "w4"), out("d")))  // named like the first one's output
                .addOutput(value("d", FLOAT, 1, 4))
                // shapes declared, so no ONNX Runtime run is needed (it refuses duplicate node names)
                .addValueInfo(value("a", FLOAT, 1, 4)).addValueInfo(value("b", FLOAT, 1, 4)).addValueInfo(value("c", FLOAT, 1, 4))
                .build();
        try (OnnxModel model = OnnxModel.read(Graphs.model(graph, 13).toByteArray())) {
            List<String> names = model.layers().stream().map(OnnxLayer::name).toList();
            assertEquals(List.of("a#2", "dup#2", "dup#3", "a"), names);
            try (OnnxModel again = OnnxModel.read(Graphs.model(graph, 13).toByteArray())) {
                assertEquals(names, again.layers().stream().map(OnnxLayer::name).toList(), "names are stable");
            }
        }
    }

    /** relu(x [batch, seq, 8]) · W [8, 4], optionally followed by an op ONNX Runtime does not know. */
    private ModelProto sequenceModel(boolean declareOutput, boolean unknownOp) {
        GraphProto.Builder graph = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, "batch", "seq", 8))
                .addInitializer(floatWeight("w", 8, 4))
                .addNode(node("Relu", "relu", in("x"), out("r")))
                .addNode(node("MatMul", "fc", in("r", "w"), out("h")));
        if (declareOutput) {
            graph.addValueInfo(value("h", FLOAT, "batch", "seq", 4));
        }
        if (unknownOp) {
            graph.addNode(node("Mystery", "m", in("h"), out("y")).toBuilder().setDomain("com.example").build())
                    .addOutput(untyped("y", FLOAT));
        } else {
            graph.addOutput(untyped("h", FLOAT));
        }
        return Graphs.model(graph.build(), 13);
    }

    @Test
    void matMulRowsComeFromAProbeRunWithTheGivenInputShape() throws Exception {
        try (OnnxModel model = OnnxModel.read(sequenceModel(false, false).toByteArray())) {
            OnnxLayer perRow = model.layers().getFirst();
            assertFalse(perRow.macsKnown(), "without input shapes a MatMul is counted per row");
            assertEquals(1, rowsPerSample(perRow));
            OnnxLayer measured = model.layers(InputShapes.parse(List.of("x=2x5x8"))).getFirst();
            assertTrue(measured.macsKnown());
            assertEquals(5, rowsPerSample(measured));
        }
    }

    @Test
    void symbolsInValueInfoAreBoundByTheGivenInputShapesWithoutRunningTheModel() throws Exception {
        // the unknown op would make any ONNX Runtime run fail
        try (OnnxModel model = OnnxModel.read(sequenceModel(true, true).toByteArray())) {
            OnnxLayer layer = model.layers(InputShapes.parse(List.of("x=1x7x8"))).getFirst();
            assertTrue(layer.macsKnown());
            assertEquals(7, rowsPerSample(layer));
        }
        try (OnnxModel model = OnnxModel.read(sequenceModel(false, true).toByteArray())) {
            OnnxFormatException error = assertThrows(OnnxFormatException.class,
                    () -> model.layers(InputShapes.parse(List.of("x=1x7x8"))));
            assertTrue(error.getMessage().contains("ONNX Runtime could not run"), error.getMessage());
        }
    }

    @Test
    void wrongOrMissingInputShapesAreClearErrors() throws Exception {
        try (OnnxModel model = OnnxModel.read(sequenceModel(false, false).toByteArray())) {
            String unknown = assertThrows(IllegalArgumentException.class,
                    () -> model.layers(InputShapes.parse(List.of("y=1x2x8")))).getMessage();
            assertTrue(unknown.contains("has no input 'y'") && unknown.contains("x [batch x seq x 8]"), unknown);
            String rank = assertThrows(IllegalArgumentException.class,
                    () -> model.layers(InputShapes.parse(List.of("x=2x8")))).getMessage();
            assertTrue(rank.contains("has 2 dimensions"), rank);
            String conflict = assertThrows(IllegalArgumentException.class,
                    () -> model.layers(InputShapes.parse(List.of("x=2x3x9")))).getMessage();
            assertTrue(conflict.contains("dimension 2"), conflict);
        }
        GraphProto conv = GraphProto.newBuilder()
                .addInput(value("image", FLOAT, 1, 3, "height", "width"))
                .addInput(value("scale", FLOAT, 1))
                .addInitializer(floatWeight("k", 4, 3, 3, 3))
                .addNode(node("Conv", "conv", in("image", "k"), out("y")))
                .addOutput(untyped("y", FLOAT))
                .build();
        try (OnnxModel model = OnnxModel.read(Graphs.model(conv, 13).toByteArray())) {
            String missing = assertThrows(IllegalArgumentException.class, model::layers).getMessage();
            assertTrue(missing.contains("image [1 x 3 x height x width]") && missing.contains("--input-shape image=1x3x128x128"), missing);
            assertFalse(missing.contains("scale"), "static inputs need no shape: " + missing);
            assertEquals(List.of(8L, 6L), java.util.Arrays.stream(((dev.wsvd.layer.ConvGeometry) model.layers(
                    InputShapes.none().with("image", 1, 3, 10, 8)).getFirst().geometry().orElseThrow()).outputSpatial()).boxed().toList());
        }
    }

    @Test
    void inputShapesParse() {
        InputShapes shapes = InputShapes.parse(List.of("pixel_values=1x3x224x224", "ids=1x128"));
        assertArrayEquals(new long[] {1, 3, 224, 224}, shapes.get("pixel_values"));
        assertArrayEquals(new long[] {1, 128}, shapes.get("ids"));
        assertEquals("pixel_values=1x3x224x224 ids=1x128", shapes.toString());
        for (String bad : new String[] {"x", "x=", "=1x2", "x=1x0", "x=1xa", "x=1x-2"}) {
            assertThrows(IllegalArgumentException.class, () -> InputShapes.parse(List.of(bad)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> InputShapes.parse(List.of("x=1", "x=2")));
        Function<String, long[]> single = entry -> InputShapes.parse(List.of(entry)).get("a=b");
        assertArrayEquals(new long[] {4}, single.apply("a=b=4"), "the last '=' separates name and shape");
    }
}
