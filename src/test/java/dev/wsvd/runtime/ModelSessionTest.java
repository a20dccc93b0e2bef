package dev.wsvd.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions on models its owner serializes on demand, and runs that only measure output shapes. */
class ModelSessionTest {
    private static byte[] fashionMnist() throws IOException {
        try (InputStream in = ModelSessionTest.class.getResourceAsStream("/dev/wsvd/models/fashion-mnist/fashion-mnist-cnn.onnx")) {
            return in.readAllBytes();
        }
    }

    /** The bundled CNN, claiming to be {@code inlineSize} bytes; written as a plain file when asked for external data. */
    private record Cnn(byte[] bytes, long inlineSize, AtomicReference<Path> writtenTo) implements ModelSession.SerializedModel {
        @Override
        public String description() {
            return "the Fashion-MNIST CNN";
        }

        @Override
        public ByteBuffer inline() {
            return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }

        @Override
        public void writeWithExternalData(Path file) throws IOException {
            writtenTo.set(file);
            Files.write(file, bytes);
        }
    }

    private static long[] logitsShape(ModelSession session) throws SessionException {
        try (Feed zeros = Feed.zeros(ValueInfo.FLOAT, new long[] {3, 1, 28, 28})) {
            return session.outputShapes(Map.of("input", zeros), Set.of("logits")).get("logits");
        }
    }

    @Test
    void aModelThatFitsInOneMessageIsOpenedFromMemory() throws Exception {
        Cnn cnn = new Cnn(fashionMnist(), fashionMnist().length, new AtomicReference<>());
        try (ModelSession session = ModelSession.open(cnn, SessionSettings.DEFAULT, 1)) {
            assertArrayEquals(new long[] {3, 10}, logitsShape(session));
        }
        assertEquals(null, cnn.writtenTo().get(), "nothing written to disk");
    }

    @Test
    void aModelOverTwoGigabytesIsOpenedFromATemporaryCopyDeletedOnClose() throws Exception {
        Cnn huge = new Cnn(fashionMnist(), 3L << 30, new AtomicReference<>());
        try (ModelSession session = ModelSession.open(huge, SessionSettings.DEFAULT, 1)) {
            assertTrue(Files.exists(huge.writtenTo().get()), "opened from the written copy");
            assertArrayEquals(new long[] {3, 10}, logitsShape(session));
        }
        assertFalse(Files.exists(huge.writtenTo().get().getParent()), "the temporary folder is gone");
    }

    @Test
    void aCopyOnnxRuntimeRejectsIsDeletedAtOnce() throws Exception {
        Cnn broken = new Cnn("not a model".getBytes(), 3L << 30, new AtomicReference<>());
        int openBefore = ModelSession.openCount();
        SessionException e = assertThrows(SessionException.class, () -> ModelSession.open(broken, SessionSettings.DEFAULT, 1));
        assertTrue(e.getMessage().contains("the Fashion-MNIST CNN"), e.getMessage());
        assertFalse(Files.exists(broken.writtenTo().get().getParent()));
        assertEquals(openBefore, ModelSession.openCount());
    }

    @Test
    void zerosOfATypeTheJavaApiCannotCreateAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Feed.zeros("float8e4m3fn", new long[] {1}));
    }
}
