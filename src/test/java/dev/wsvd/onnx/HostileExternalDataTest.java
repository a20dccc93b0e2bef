package dev.wsvd.onnx;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.StringStringEntryProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.wire.OnnxFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * External data a hostile model folder may point at (issue 10, items 1, 2 and the NUL byte of item 7): links
 * leading out of the folder, files that are not regular files, and locations that are not file names. Each is
 * refused with one line naming the tensor and the location, before anything is read.
 */
class HostileExternalDataTest {
    @TempDir
    Path root;

    /** A model in {@code root/model} whose one initializer (2 floats) lives in external file {@code location}. */
    private Path modelUsing(String location) throws Exception {
        TensorProto external = TensorProto.newBuilder().setName("w").setDataType(Graphs.FLOAT).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .build();
        ModelProto model = Graphs.model(GraphProto.newBuilder().setName("g").addInitializer(external).build(), 13);
        Path folder = Files.createDirectories(root.resolve("model"));
        return Files.write(folder.resolve("model.onnx"), model.toByteArray());
    }

    private Path secret() throws Exception {
        return Files.write(root.resolve("secret.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    @Test
    void aLinkToAFileOutsideTheFolderIsRefused() throws Exception {
        Path model = modelUsing("weights.bin");
        Files.createSymbolicLink(model.resolveSibling("weights.bin"), secret());
        String message = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(model)).getMessage();
        assertTrue(message.contains("'weights.bin'") && message.contains("symbolic link")
                && message.contains("outside the model's folder"), message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    @Test
    void aLinkedFolderLeadingOutsideIsRefused() throws Exception {
        secret();
        Path model = modelUsing("linked/secret.bin");
        Files.createSymbolicLink(model.resolveSibling("linked"), root);
        String message = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(model)).getMessage();
        assertTrue(message.contains("outside the model's folder"), message);
    }

    @Test
    void aLinkThatStaysInsideTheFolderIsRead() throws Exception {
        Path model = modelUsing("weights.bin");
        Path data = Files.write(model.resolveSibling("real.bin"), new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40});
        Files.createSymbolicLink(model.resolveSibling("weights.bin"), data.getFileName());
        try (OnnxModel read = OnnxModel.read(model);
             var tensor = read.wire().tensor(read.skeleton().getGraph().getInitializer(0))) {
            assertArrayEquals(new float[] {1, 2}, tensor.toFloatArray());
        }
    }

    @Test
    void theModelFolderItselfMayBeALink() throws Exception {
        Path model = modelUsing("weights.bin");
        Files.write(model.resolveSibling("weights.bin"), new byte[8]);
        Path linkedFolder = Files.createSymbolicLink(root.resolve("alias"), model.getParent());
        try (OnnxModel read = OnnxModel.read(linkedFolder.resolve("model.onnx"))) {
            assertEquals(1, read.skeleton().getGraph().getInitializerCount());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path model = modelUsing("weights.bin");
        Process mkfifo = new ProcessBuilder("mkfifo", model.resolveSibling("weights.bin").toString()).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        String message = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(model)).getMessage();
        assertTrue(message.contains("not a regular file"), message);
    }

    @Test
    void aFolderIsRefused() throws Exception {
        Path model = modelUsing("weights.bin");
        Files.createDirectory(model.resolveSibling("weights.bin"));
        String message = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(model)).getMessage();
        assertTrue(message.contains("not a regular file"), message);
    }

    @Test
    void aNulByteInTheLocationIsAFormatErrorPrintedOnOneLine() throws Exception {
        Path model = modelUsing("weights\u0000.bin\n");
        String message = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(model)).getMessage();
        assertTrue(message.contains("not a valid file name") && message.contains("weights\\u0000.bin\\u000a"), message);
        assertFalse(message.contains("\n") || message.contains("\u0000"), message);
    }
}
