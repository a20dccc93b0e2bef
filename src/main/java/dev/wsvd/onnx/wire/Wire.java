package dev.wsvd.onnx.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Protobuf wire-format primitives over a {@link MemorySegment}: enough to walk a serialized message field by
 * field without materializing it, so tensor payloads can stay in the mapped file (see {@link PayloadExtractor}).
 */
final class Wire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private Wire() {
    }

    static int tag(int fieldNumber, int wireType) {
        return (fieldNumber << 3) | wireType;
    }

    /** Thrown for bytes that are not a well-formed protobuf message; the offset is from the start of the input. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    /** One field as it lies in the input: {@code [start, end)} covers tag and value, the value starts at {@code valueStart}. */
    record Field(int number, int wireType, long start, long valueStart, long end) {
        long valueLength() {
            return end - valueStart;
        }
    }

    /** Reads the fields of one message, {@code [position, limit)} of a segment. */
    static final class Cursor {
        private final MemorySegment bytes;
        private final long limit;
        private long position;

        Cursor(MemorySegment bytes, long from, long limit) {
            this.bytes = bytes;
            this.position = from;
            this.limit = limit;
        }

        boolean hasMore() {
            return position < limit;
        }

        Field next() throws MalformedException {
            long start = position;
            long tag = readVarint();
            if (tag > 0xFFFF_FFFFL) {
                throw new MalformedException("field tag " + tag + " at byte " + start + " is out of range");
            }
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (number == 0) {
                throw new MalformedException("field number 0 at byte " + start);
            }
            long valueStart = position;
            switch (wireType) {
                case VARINT -> readVarint();
                case FIXED64 -> skip(8, start);
                case FIXED32 -> skip(4, start);
                case LENGTH_DELIMITED -> {
                    long length = readVarint();
                    valueStart = position;
                    skip(length, start);
                }
                default -> throw new MalformedException("wire type " + wireType + " of field " + number + " at byte " + start
                        + " is not used by ONNX");
            }
            return new Field(number, wireType, start, valueStart, position);
        }

        private void skip(long length, long fieldStart) throws MalformedException {
            if (length < 0 || length > limit - position) {
                throw new MalformedException("the field at byte " + fieldStart + " needs " + length + " bytes but only "
                        + (limit - position) + " remain in its message");
            }
            position += length;
        }

        long readVarint() throws MalformedException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= limit) {
                    throw new MalformedException("a number at byte " + position + " runs past the end of its message");
                }
                byte b = bytes.get(ValueLayout.JAVA_BYTE, position++);
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new MalformedException("a number longer than 10 bytes ends at byte " + position);
        }

        /** The value of a field read by {@link #next()} with wire type {@link #VARINT}. */
        long varintValue(Field field) throws MalformedException {
            return new Cursor(bytes, field.valueStart(), field.end()).readVarint();
        }
    }
}
