package dev.wsvd.onnx;

import dev.wsvd.onnx.rewrite.LayerRewriter;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.onnx.wire.WireModel;
import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.StringStringEntryProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing files: zero-copy weights, external data, atomic writes, and clear errors for bad files. */
class OnnxFileTest {
    @TempDir
    Path folder;

    private final Random random = new Random(5);
    private final float[] convWeight = Graphs.random(random, 4 * 3 * 2 * 2);
    private final float[] gemmWeight = Graphs.random(random, 300 * 4);

    /** A conv with a small weight (192 bytes) and a Gemm with one large enough for external data (>= 1 KiB). */
    private ModelProto model() {
        GraphProto graph = GraphProto.newBuilder().setName("g")
                .addInput(value("x", FLOAT, 1, 3, 5, 5))
                .addOutput(value("y", FLOAT, 1, 300))
                .addInitializer(floats("conv.w", dims(4, 3, 2, 2), convWeight))
                .addInitializer(floats("fc.w", dims(300, 4), gemmWeight))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(INT64).addDims(2).addInt64Data(1).addInt64Data(-1))
                .addNode(node("Conv", "conv", in("x", "conv.w"), out("c"), ints("strides", 4, 4)))
                .addNode(node("Reshape", "flatten", in("c", "shape"), out("f")))
                .addNode(node("Gemm", "fc", in("f", "fc.w"), out("y"), integer("transB", 1)))
                .build();
        return Graphs.model(graph, 13);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = folder.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void weightsAreViewsOfTheMappedFileUntilTheModelIsClosed() throws Exception {
        Path file = write("model.onnx", model().toByteArray());
        Tensor weight;
        try (OnnxModel model = OnnxModel.read(file)) {
            weight = model.weight(model.layer("conv"));
            assertTrue(weight.segment().isMapped(), "the weight should be a slice of the mapped model file");
            assertFalse(weight.ownsMemory());
            assertArrayEquals(convWeight, weight.toFloatArray());
            try (Tensor fc = model.weight(model.layer("fc"))) {
                assertTrue(fc.segment().isMapped());
                assertArrayEquals(gemmWeight, fc.toFloatArray());
            }
        }
        assertThrows(IllegalStateException.class, weight::segment, "use after close must fail, not read unmapped memory");
    }

    @Test
    void aModelReadFromADirectBufferBorrowsIt() throws Exception {
        byte[] bytes = model().toByteArray();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        long start = java.lang.foreign.MemorySegment.ofBuffer(buffer).address();
        try (OnnxModel model = OnnxModel.read(buffer); Tensor weight = model.weight(model.layer("conv"))) {
            long address = weight.segment().address();
            assertTrue(address >= start && address + weight.segment().byteSize() <= start + bytes.length,
                    "the weight should lie inside the caller's buffer");
            assertArrayEquals(convWeight, weight.toFloatArray());
        }
    }

    @Test
    void miniLmWeightsAreViewsOfTheMappedFile() throws Exception {
        try (OnnxModel model = OnnxModel.read(TestModels.miniLm())) {
            TensorProto initializer = model.skeleton().getGraph().getInitializerList().stream()
                    .filter(t -> t.getDimsCount() == 2 && t.getDataType() == FLOAT).findFirst().orElseThrow();
            try (Tensor tensor = model.wire().tensor(initializer)) {
                assertTrue(tensor.segment().isMapped());
            }
        }
    }

    @Test
    void closedModelRefusesUse() throws Exception {
        OnnxModel model = OnnxModel.read(model().toByteArray());
        model.close();
        assertThrows(IllegalStateException.class, model::layers);
        assertThrows(IllegalStateException.class, model::toByteArray);
        model.close(); // idempotent
    }

    @Test
    void externalDataIsWrittenNextToTheModelAndReadBack() throws Exception {
        byte[] inline = model().toByteArray();
        Path target = folder.resolve("out").resolve("external.onnx");
        try (OnnxModel model = OnnxModel.read(inline)) {
            model.write(target, WireModel.ExternalData.EXTERNAL);
        }
        Path data = folder.resolve("out").resolve("external.onnx.data");
        assertEquals(300 * 4 * 4, Files.size(data), "the large weight goes to the data file");
        assertTrue(Files.size(target) < 1024, "the model file keeps only the graph");
        ModelProto written = ModelProto.parseFrom(Files.readAllBytes(target));
        TensorProto fc = written.getGraph().getInitializer(1);
        assertEquals(TensorProto.DataLocation.EXTERNAL, fc.getDataLocation());
        assertEquals("external.onnx.data", entry(fc, "location"));
        assertEquals(0, Long.parseLong(entry(fc, "offset")) % 64, "offsets are aligned");
        assertFalse(written.getGraph().getInitializer(0).hasDataLocation(), "small tensors stay inline");
        assertEquals(4 * 3 * 2 * 2 * 4, written.getGraph().getInitializer(0).getRawData().size());
        try (OnnxModel reread = OnnxModel.read(target)) {
            try (Tensor weight = reread.weight(reread.layer("fc"))) {
                assertTrue(weight.segment().isMapped());
                assertArrayEquals(gemmWeight, weight.toFloatArray());
            }
            // back to inline: the same model as the one we started from
            assertEquals(ModelProto.parseFrom(inline), ModelProto.parseFrom(reread.toByteArray()));
            // AUTO keeps data external for a model that came with external data
            Path again = folder.resolve("again.onnx");
            reread.write(again);
            assertTrue(Files.exists(folder.resolve("again.onnx.data")));
        }
        assertNoTemporaryFiles(folder.resolve("out"));
    }

    private static String entry(TensorProto tensor, String key) {
        return tensor.getExternalDataList().stream().filter(e -> e.getKey().equals(key))
                .map(StringStringEntryProto::getValue).findFirst().orElseThrow();
    }

    @Test
    void missingOrShortExternalDataIsAClearError() throws Exception {
        Path target = folder.resolve("m.onnx");
        try (OnnxModel model = OnnxModel.read(model().toByteArray())) {
            model.write(target, WireModel.ExternalData.EXTERNAL);
        }
        Path data = folder.resolve("m.onnx.data");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length / 2));
        OnnxFormatException shortData = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(target));
        assertTrue(shortData.getMessage().contains("m.onnx.data") && shortData.getMessage().contains("truncated"), shortData.getMessage());
        Files.delete(data);
        OnnxFormatException missing = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(target));
        assertTrue(missing.getMessage().contains(target.toString()) && missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void externalDataOutsideTheModelFolderIsRefused() throws Exception {
        TensorProto escaping = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin"))
                .build();
        ModelProto model = Graphs.model(GraphProto.newBuilder().addInitializer(escaping).build(), 13);
        Path file = write("escape.onnx", model.toByteArray());
        OnnxFormatException error = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(file));
        assertTrue(error.getMessage().contains("outside the model's folder"), error.getMessage());
    }

    @Test
    void writingOverTheSourceFileIsRefusedAndLeavesItIntact() throws Exception {
        byte[] original = model().toByteArray();
        Path file = write("model.onnx", original);
        try (OnnxModel model = OnnxModel.read(file)) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> model.write(file));
            assertTrue(error.getMessage().contains("refusing"), error.getMessage());
            // another spelling of the same path
            assertThrows(IllegalArgumentException.class, () -> model.write(folder.resolve("sub/../model.onnx")));
            try (OnnxModel rewritten = LayerRewriter.rewrite(model, java.util.Map.of())) {
                assertThrows(IllegalArgumentException.class, () -> rewritten.write(file), "a rewrite of it neither");
            }
        }
        assertArrayEquals(original, Files.readAllBytes(file));
    }

    @Test
    void writeReplacesAnExistingOutputAtomically() throws Exception {
        Path target = write("out.onnx", "old contents".getBytes());
        try (OnnxModel model = OnnxModel.read(model().toByteArray())) {
            model.write(target);
        }
        assertEquals(ModelProto.parseFrom(model().toByteArray()), ModelProto.parseFrom(Files.readAllBytes(target)));
        assertNoTemporaryFiles(folder);
    }

    private static void assertNoTemporaryFiles(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(java.util.List.of(), files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList());
        }
    }

    @Test
    void typedFieldsAreRead() throws Exception {
        float[] values = Graphs.random(random, 6);
        TensorProto.Builder floatData = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(2).addDims(3);
        TensorProto.Builder halfData = TensorProto.newBuilder().setName("h").setDataType(FLOAT16).addDims(2).addDims(3);
        for (float value : values) {
            floatData.addFloatData(value);
            halfData.addInt32Data(Float.floatToFloat16(value) & 0xFFFF);
        }
        ModelProto proto = Graphs.model(GraphProto.newBuilder().addInitializer(floatData).addInitializer(halfData).build(), 13);
        byte[] bytes = proto.toByteArray();
        try (OnnxModel model = OnnxModel.read(bytes)) {
            GraphProto graph = model.skeleton().getGraph();
            try (Tensor w = model.wire().tensor(graph.getInitializer(0));
                 Tensor h = model.wire().tensor(graph.getInitializer(1))) {
                assertArrayEquals(values, w.toFloatArray());
                for (int i = 0; i < values.length; i++) {
                    assertEquals(Float.float16ToFloat(Float.floatToFloat16(values[i])), h.getFloat(i));
                }
            }
            assertArrayEquals(bytes, model.toByteArray(), "packed float_data is written back in place");
        }
    }

    @Test
    void truncatedFilesAreReportedWithTheirName() throws Exception {
        byte[] bytes = Files.readAllBytes(TestModels.miniLm());
        for (int length : new int[] {3, 1000, bytes.length / 2, bytes.length - 1}) {
            Path file = write("truncated-" + length + ".onnx", Arrays.copyOf(bytes, length));
            OnnxFormatException error = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(file), "length " + length);
            assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
            assertTrue(error.getMessage().contains("truncated"), error.getMessage());
        }
    }

    @Test
    void nonOnnxFilesAreReportedWithTheirName() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] randomBytes = new byte[4096];
        random.nextBytes(randomBytes);
        for (byte[] bytes : new byte[][] {"hello world, not a model\n".getBytes(), png, randomBytes, "{\"graph\": 1}".getBytes()}) {
            Path file = write("not-a-model.onnx", bytes);
            OnnxFormatException error = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(file));
            assertTrue(error.getMessage().startsWith(file + " is not an ONNX model"), error.getMessage());
        }
        Path empty = write("empty.onnx", new byte[0]);
        assertEquals(empty + " is empty, not an ONNX model",
                assertThrows(OnnxFormatException.class, () -> OnnxModel.read(empty)).getMessage());
        assertThrows(NoSuchFileException.class, () -> OnnxModel.read(folder.resolve("missing.onnx")));
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxModel.read(folder)).getMessage().contains("is a folder"));
    }
}
