package dev.wsvd.onnx.wire;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor element bytes kept outside the protobuf skeleton of a model: slices of the mapped model file or of
 * external data files, and factor weights a rewrite added. A skeleton {@code TensorProto} refers to its
 * payload by index through the {@link #MARKER_FIELD} unknown field.
 *
 * <p>Every payload is in the format's raw layout: fixed-width little-endian elements. {@code sourceField}
 * records where the bytes came from (raw_data, packed float_data or packed double_data) so an untouched
 * tensor is written back in the same field.
 */
final class Payloads implements AutoCloseable {
    /**
     * The field number of the marker that replaces a payload inside a skeleton TensorProto: the largest
     * number protobuf allows, which the ONNX format will not use.
     */
    static final int MARKER_FIELD = (1 << 29) - 1;

    static final int RAW_DATA = 9;
    static final int FLOAT_DATA = 4;
    static final int DOUBLE_DATA = 10;

    record Payload(MemorySegment bytes, int sourceField) {
    }

    private final List<Payload> payloads;
    private final List<SharedMemory> memory;
    private boolean closed;

    private Payloads(List<Payload> payloads, List<SharedMemory> memory) {
        this.payloads = payloads;
        this.memory = memory;
    }

    /** An empty table whose new payloads and mappings live in {@code owned}. */
    static Payloads owning(SharedMemory owned) {
        return new Payloads(new ArrayList<>(), new ArrayList<>(List.of(owned)));
    }

    /** A table that shares every payload and all memory of {@code source}, plus fresh memory for new payloads. */
    static Payloads derivedFrom(Payloads source) {
        source.checkOpen();
        List<SharedMemory> memory = new ArrayList<>();
        memory.add(new SharedMemory());
        for (SharedMemory shared : source.memory) {
            memory.add(shared.acquire());
        }
        return new Payloads(new ArrayList<>(source.payloads), memory);
    }

    /** Where new payloads (rewritten weights, mapped external files) are allocated. */
    java.lang.foreign.Arena arena() {
        checkOpen();
        return memory.getFirst().arena();
    }

    int add(MemorySegment bytes, int sourceField) {
        checkOpen();
        payloads.add(new Payload(bytes, sourceField));
        return payloads.size() - 1;
    }

    Payload get(int index) {
        checkOpen();
        if (index < 0 || index >= payloads.size()) {
            throw new IllegalArgumentException("no tensor payload #" + index);
        }
        return payloads.get(index);
    }

    int size() {
        return payloads.size();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the model was closed; its tensors can no longer be read");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            memory.forEach(SharedMemory::release);
        }
    }
}
