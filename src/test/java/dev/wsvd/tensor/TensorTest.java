package dev.wsvd.tensor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TensorTest {

    /** A tensor whose element at flat index i holds i, so any element names its own source position. */
    private static Tensor iota(DType dtype, long... dims) {
        Tensor t = Tensor.allocate(dtype, Shape.of(dims));
        for (long i = 0; i < t.shape().size(); i++) {
            t.setDouble(i, i);
        }
        return t;
    }

    // ---- lifetime -------------------------------------------------------------------------------------------

    @Test
    void useAfterCloseFailsWithAClearMessage() {
        Tensor t = iota(DType.F32, 2, 3);
        t.close();
        assertTrue(t.isClosed());
        var e = assertThrows(IllegalStateException.class, () -> t.getDouble(0));
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("2x3"), e.getMessage());
        assertThrows(IllegalStateException.class, t::segment);
        assertThrows(IllegalStateException.class, () -> t.setDouble(0, 1));
        assertThrows(IllegalStateException.class, () -> t.reshape(Shape.of(6)));
        assertThrows(IllegalStateException.class, () -> t.slice(0, 1));
        assertThrows(IllegalStateException.class, t::transpose);
        assertThrows(IllegalStateException.class, () -> t.to(DType.F64));
        assertThrows(IllegalStateException.class, () -> t.to(DType.F32));
        assertThrows(IllegalStateException.class, t::toFloatArray);
        assertDoesNotThrow(t::close); // double close is fine
        assertTrue(t.toString().contains("closed"));
    }

    @Test
    void viewsFailCleanlyOnceTheirOwnerIsClosed() {
        Tensor owner = iota(DType.F64, 4, 2);
        Tensor reshaped = owner.reshape(Shape.of(8));
        Tensor sliced = owner.slice(1, 3);
        Tensor viewOfView = sliced.reshape(Shape.of(4));
        owner.close();
        for (Tensor view : new Tensor[] {reshaped, sliced, viewOfView}) {
            assertFalse(view.isClosed()); // its own close was not called ...
            var e = assertThrows(IllegalStateException.class, () -> view.getDouble(0)); // ... but the memory is gone
            assertTrue(e.getMessage().contains("owner was closed"), e.getMessage());
            assertThrows(IllegalStateException.class, view::copy);
            view.close();
        }
    }

    @Test
    void closingAViewLeavesTheOwnerUsable() {
        try (Tensor owner = iota(DType.F32, 3, 2)) {
            Tensor view = owner.slice(0, 1);
            view.close();
            assertThrows(IllegalStateException.class, () -> view.getDouble(0));
            assertEquals(5.0, owner.getDouble(5));
            assertTrue(owner.ownsMemory());
            assertFalse(view.ownsMemory());
        }
    }

    @Test
    void tensorsInACallersArenaLiveAsLongAsTheArena() {
        Tensor t;
        try (Arena arena = Arena.ofConfined()) {
            t = Tensor.allocate(DType.F32, Shape.of(3), arena);
            assertFalse(t.ownsMemory());
            t.close(); // ends this tensor's use only
            t = Tensor.allocate(DType.F32, Shape.of(3), arena);
            t.setFloat(2, 1.5f);
            assertEquals(1.5f, t.getFloat(2));
        }
        Tensor afterArena = t;
        assertThrows(IllegalStateException.class, () -> afterArena.getFloat(2));
    }

    /**
     * Closing owned memory while a native call holds it must fail and leave the tensor open (not marked
     * closed with the memory leaked). The native call is a read(2) from a pipe into the tensor, which blocks
     * until this test writes to the pipe.
     */
    @Test
    @SuppressWarnings("restricted") // binding libc's pipe/read/write is how this test holds memory in a native call
    void closeDuringANativeCallFailsAndLeavesTheTensorUsable() throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MethodHandle pipe = linker.downcallHandle(libc.find("pipe").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        FunctionDescriptor io = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
        MethodHandle read = linker.downcallHandle(libc.find("read").orElseThrow(), io);
        MethodHandle write = linker.downcallHandle(libc.find("write").orElseThrow(), io);
        MethodHandle closeFd = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            assertEquals(0, (int) pipe.invokeExact(fds));
            int readEnd = fds.getAtIndex(JAVA_INT, 0);
            int writeEnd = fds.getAtIndex(JAVA_INT, 1);
            Tensor t = Tensor.allocate(DType.F32, Shape.of(1));
            MemorySegment memory = t.segment();
            CountDownLatch calling = new CountDownLatch(1);
            CompletableFuture<Long> bytesRead = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                calling.countDown();
                try {
                    bytesRead.complete((long) read.invokeExact(readEnd, memory, 4L));
                } catch (Throwable e) {
                    bytesRead.completeExceptionally(e);
                }
            });
            MemorySegment message = arena.allocate(JAVA_FLOAT);
            message.set(JAVA_FLOAT, 0, 2.5f);
            try {
                calling.await();
                Thread.sleep(300); // let the reader enter read(2), where it stays until we write
                assertThrows(IllegalStateException.class, t::close, "closed memory a native call was using");
                assertFalse(t.isClosed());
            } finally {
                assertEquals(4L, (long) write.invokeExact(writeEnd, message, 4L));
                reader.join(10_000);
            }
            assertEquals(4L, bytesRead.get(10, TimeUnit.SECONDS));
            assertEquals(2.5f, t.getFloat(0));
            t.close();
            assertTrue(t.isClosed());
            assertEquals(0, (int) closeFd.invokeExact(readEnd));
            assertEquals(0, (int) closeFd.invokeExact(writeEnd));
        }
    }

    @Test
    void readableFromAnotherThread() throws Exception {
        try (Tensor t = iota(DType.F64, 1000)) {
            double sum = CompletableFuture.supplyAsync(() -> {
                double s = 0;
                for (long i = 0; i < 1000; i++) {
                    s += t.getDouble(i);
                }
                return s;
            }).get();
            assertEquals(999 * 1000 / 2.0, sum);
        }
    }

    // ---- views share memory, copies do not ------------------------------------------------------------------

    @Test
    void reshapeAndSliceShareMemory() {
        try (Tensor t = iota(DType.F32, 4, 3, 2)) {
            Tensor flat = t.reshape(Shape.of(24));
            Tensor middle = t.slice(1, 3); // rows 1 and 2: elements 6..17
            assertEquals(Shape.of(2, 3, 2), middle.shape());
            assertEquals(6.0, middle.get(0, 0, 0));
            assertEquals(17.0, middle.get(1, 2, 1));
            middle.setDouble(0, -1);
            assertEquals(-1.0, t.getDouble(6));
            assertEquals(-1.0, flat.getDouble(6));
            flat.setDouble(23, 99);
            assertEquals(99.0, t.get(3, 2, 1));
            assertEquals(0, t.slice(2, 2).shape().size());
            assertEquals(t.segment().address() + 6 * 4, middle.segment().address());
        }
    }

    @Test
    void transposeIsACopyMatchingIndexArithmetic() {
        try (Tensor m = iota(DType.F64, 3, 5); Tensor t = m.transpose()) {
            assertEquals(Shape.of(5, 3), t.shape());
            assertTrue(t.ownsMemory());
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(j * 5 + i, t.get(i, j));
                }
            }
            m.setDouble(1, -7);
            assertEquals(1.0, t.get(1, 0)); // the copy did not follow
        }
    }

    @Test
    void permuteOfEveryAxisOrderOn3dMatchesIndexArithmetic() {
        long[] dims = {2, 3, 4};
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        try (Tensor t = iota(DType.F32, dims)) {
            for (int[] order : orders) {
                try (Tensor p = t.permute(order)) {
                    checkPermutation(dims, order, p);
                }
            }
        }
    }

    @Test
    void permuteOn4dMatchesIndexArithmetic() {
        long[] dims = {2, 3, 4, 5};
        int[][] orders = {{0, 2, 3, 1}, {3, 2, 1, 0}, {1, 0, 3, 2}, {2, 3, 0, 1}};
        for (DType dtype : new DType[] {DType.F32, DType.F64, DType.F16}) {
            try (Tensor t = iota(dtype, dims)) {
                for (int[] order : orders) {
                    try (Tensor p = t.permute(order)) {
                        assertEquals(dtype, p.dtype());
                        checkPermutation(dims, order, p);
                    }
                }
            }
        }
    }

    /** Element (i_0..i_n) of the result must hold the source's flat index of (i_{order^-1})...: computed here from scratch. */
    private static void checkPermutation(long[] dims, int[] order, Tensor permuted) {
        int rank = dims.length;
        long[] newDims = new long[rank];
        for (int a = 0; a < rank; a++) {
            newDims[a] = dims[order[a]];
        }
        assertEquals(Shape.of(newDims), permuted.shape());
        long[] index = new long[rank];
        for (long flat = 0; flat < permuted.shape().size(); flat++) {
            long rest = flat;
            for (int a = rank - 1; a >= 0; a--) {
                index[a] = rest % newDims[a];
                rest /= newDims[a];
            }
            long[] source = new long[rank];
            for (int a = 0; a < rank; a++) {
                source[order[a]] = index[a];
            }
            long sourceFlat = 0;
            for (int a = 0; a < rank; a++) {
                sourceFlat = sourceFlat * dims[a] + source[a];
            }
            assertEquals(sourceFlat, permuted.getDouble(flat), () -> "order " + java.util.Arrays.toString(order) + " at " + java.util.Arrays.toString(index));
        }
    }

    @Test
    void permuteRejectsNonPermutations() {
        try (Tensor t = iota(DType.F32, 2, 3, 4)) {
            assertThrows(IllegalArgumentException.class, () -> t.permute(0, 1));
            assertThrows(IllegalArgumentException.class, () -> t.permute(0, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> t.permute(0, 1, 3));
            assertThrows(IllegalArgumentException.class, () -> t.permute(-1, 0, 1));
        }
    }

    @Test
    void copyAndConversionsAreIndependent() {
        try (Tensor t = iota(DType.F32, 2, 2); Tensor copy = t.copy(); Tensor wide = t.to(DType.F64)) {
            t.setDouble(0, 42);
            assertEquals(0.0, copy.getDouble(0));
            assertEquals(0.0, wide.getDouble(0));
            assertArrayEquals(new double[] {0, 1, 2, 3}, wide.toDoubleArray());
            assertEquals(DType.F64, wide.dtype());
        }
    }

    // ---- scalars and empty tensors --------------------------------------------------------------------------

    @Test
    void scalarsAndEmptyDimensions() {
        try (Tensor scalar = Tensor.ofFloats(Shape.of(), 3.5f)) {
            assertEquals(0, scalar.shape().rank());
            assertEquals(3.5, scalar.get());
            assertEquals("[]", scalar.shape().toString());
            assertThrows(IllegalArgumentException.class, () -> scalar.slice(0, 1));
            try (Tensor same = scalar.permute()) {
                assertEquals(3.5, same.getDouble(0));
            }
        }
        try (Tensor empty = Tensor.allocate(DType.F64, Shape.of(0, 3)); Tensor emptyT = empty.transpose()) {
            assertEquals(0, empty.shape().size());
            assertEquals(0, empty.toDoubleArray().length);
            assertEquals(Shape.of(3, 0), emptyT.shape());
            assertEquals(0, empty.segment().byteSize());
            assertThrows(IndexOutOfBoundsException.class, () -> empty.getDouble(0));
        }
    }

    // ---- wrapping without a copy ----------------------------------------------------------------------------

    @Test
    void wrapsADirectBufferWithoutCopying() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        buffer.position(8); // the tensor starts at the position
        try (Tensor t = Tensor.wrap(buffer, DType.F32, Shape.of(2, 3))) {
            assertFalse(t.ownsMemory());
            buffer.putFloat(8 + 4 * 4, 2.5f);
            assertEquals(2.5, t.get(1, 1));
            t.setFloat(0, -1f);
            assertEquals(-1f, buffer.getFloat(8));
            assertEquals(MemorySegment.ofBuffer(buffer).address(), t.segment().address());
        }
        buffer.putFloat(8, 1f); // closing the tensor did not free the buffer
        assertEquals(1f, buffer.getFloat(8));
    }

    @Test
    void wrapRejectsWrongSizesHeapBuffersAndForeignByteOrder() {
        ByteBuffer direct = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());
        var size = assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(direct, DType.F32, Shape.of(5)));
        assertTrue(size.getMessage().contains("needs 20 bytes") && size.getMessage().contains("24"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(ByteBuffer.allocate(24), DType.F32, Shape.of(6)));
        ByteOrder foreign = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        var order = assertThrows(IllegalArgumentException.class,
                () -> Tensor.wrap(ByteBuffer.allocateDirect(24).order(foreign), DType.F32, Shape.of(6)));
        assertTrue(order.getMessage().contains("order"), order.getMessage());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(16);
            assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(segment, DType.F64, Shape.of(3)));
            try (Tensor wrapped = Tensor.wrap(segment, DType.F64, Shape.of(2))) {
                segment.setAtIndex(ValueLayout.JAVA_DOUBLE, 1, 6.25);
                assertEquals(6.25, wrapped.getDouble(1));
            }
        }
    }

    @Test
    void readOnlyMemoryRefusesWritesClearly() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        try (Tensor t = Tensor.wrap(buffer.asReadOnlyBuffer().order(ByteOrder.nativeOrder()), DType.F32, Shape.of(2))) {
            assertTrue(t.isReadOnly());
            var e = assertThrows(UnsupportedOperationException.class, () -> t.setFloat(0, 1f));
            assertTrue(e.getMessage().contains("read-only") && e.getMessage().contains("copy()"), e.getMessage());
            assertEquals(0.0, t.getDouble(0));
            try (Tensor writable = t.copy()) {
                assertFalse(writable.isReadOnly());
                writable.setFloat(0, 1f);
            }
        }
    }

    // ---- sizes and indices ----------------------------------------------------------------------------------

    @Test
    void wrongSizesAndIndicesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofDoubles(Shape.of(1), 1, 2));
        try (Tensor t = iota(DType.F32, 2, 3)) {
            var reshape = assertThrows(IllegalArgumentException.class, () -> t.reshape(Shape.of(4)));
            assertTrue(reshape.getMessage().contains("2x3") && reshape.getMessage().contains("4"), reshape.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> t.slice(1, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> t.slice(2, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> t.slice(-1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, -1));
            assertThrows(IllegalArgumentException.class, () -> t.get(0));
            assertThrows(IndexOutOfBoundsException.class, () -> t.getDouble(6));
            assertThrows(IndexOutOfBoundsException.class, () -> t.setDouble(-1, 0));
            assertThrows(IllegalArgumentException.class, () -> t.reshape(Shape.of(6)).rows());
        }
    }
}
