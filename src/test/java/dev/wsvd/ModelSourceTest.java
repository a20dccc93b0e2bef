package dev.wsvd;

import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSourceTest {

    @Test
    void inMemoryModelsMustBeDirectAndNonEmpty() {
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class, () -> ModelSource.of(ByteBuffer.allocate(8)));
        assertTrue(heap.getMessage().contains("ModelSource.of(byte[])"), heap.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ModelSource.of(ByteBuffer.allocateDirect(8).position(8)));
        assertTrue(empty.getMessage().contains("flip()"), empty.getMessage());
    }

    @Test
    void theSourceTakesTheRemainingBytesAndNeverMovesTheCallersBuffer() {
        ByteBuffer direct = ByteBuffer.allocateDirect(10);
        for (int i = 0; i < 10; i++) {
            direct.put((byte) i);
        }
        direct.position(3).limit(8);
        ModelSource.InMemory source = (ModelSource.InMemory) ModelSource.of(direct);
        ByteBuffer view = source.bytes();
        assertEquals(5, view.remaining());
        assertEquals(3, view.get(0));
        assertTrue(view.isReadOnly() && view.isDirect());
        view.position(4); // a reader moving its view does not move the next reader's
        assertEquals(0, source.bytes().position());
        assertEquals(3, direct.position());
        assertEquals("in-memory model (5 bytes)", source.description());
    }

    @Test
    void missingResourceIsAnIOExceptionNamingIt() {
        IOException e = assertThrows(IOException.class, () -> ModelSource.fromResource("/no/such/model.onnx"));
        assertTrue(e.getMessage().contains("/no/such/model.onnx"), e.getMessage());
    }

    @Test
    void aCandidateReplacesWeightsOfTheOriginalOnly() {
        ModelSource base = ModelSource.of(new byte[] {1, 2, 3});
        try (Tensor a = Tensor.ofFloats(Shape.of(1), 1f);
             Tensor b = Tensor.ofFloats(Shape.of(1), 2f)) {
            CandidateSource candidate = new CandidateSource(base, Map.of("w1", a, "w2", b));
            assertSame(base, candidate.base());
            assertSame(a, candidate.initializers().get("w1"));
            assertTrue(candidate.description().startsWith("in-memory model (3 bytes) with 2 replaced initializers"),
                    candidate.description());
            assertThrows(IllegalArgumentException.class, () -> new CandidateSource(base, Map.of()));
            IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                    () -> new CandidateSource(candidate, Map.of("w2", b)));
            assertTrue(nested.getMessage().contains("original model"), nested.getMessage());
        }
    }
}
