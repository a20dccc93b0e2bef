package dev.wsvd.onnx.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** A growable heap byte buffer with the protobuf writes the transcoders need. */
final class ByteSink {
    private byte[] bytes = new byte[256];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void writeVarint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    void writeTag(int fieldNumber, int wireType) {
        writeVarint(Wire.tag(fieldNumber, wireType) & 0xFFFF_FFFFL);
    }

    void write(byte[] source) {
        ensure(source.length);
        System.arraycopy(source, 0, bytes, size, source.length);
        size += source.length;
    }

    void write(ByteSink other) {
        ensure(other.size);
        System.arraycopy(other.bytes, 0, bytes, size, other.size);
        size += other.size;
    }

    /** Copies {@code [from, to)} of {@code source}. */
    void write(MemorySegment source, long from, long to) {
        int length = Math.toIntExact(to - from);
        ensure(length);
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, from, bytes, size, length);
        size += length;
    }

    /** A length-delimited string field. */
    void writeString(int fieldNumber, String value) {
        byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writeTag(fieldNumber, Wire.LENGTH_DELIMITED);
        writeVarint(utf8.length);
        write(utf8);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void clear() {
        size = 0;
    }

    private void ensure(int extra) {
        int needed = Math.addExact(size, extra);
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length < (1 << 29) ? bytes.length * 2 : Integer.MAX_VALUE - 8));
        }
    }
}
