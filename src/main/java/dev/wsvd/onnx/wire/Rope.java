package dev.wsvd.onnx.wire;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Serialized bytes as a list of pieces: small heap pieces for message framing, and tensor payloads by
 * reference (mapped file slices, off-heap factors). Writing a rope streams each piece once, so a model is
 * written without ever being assembled in memory.
 */
final class Rope {
    /** Largest piece handed to a channel at once (ByteBuffer views are limited to 2 GB). */
    private static final long MAX_WRITE = 1L << 30;

    private final List<MemorySegment> pieces = new ArrayList<>();
    private final ByteSink pending = new ByteSink();
    private long flushedSize;

    long size() {
        return flushedSize + pending.size();
    }

    ByteSink sink() {
        return pending;
    }

    /** Appends {@code bytes} by reference; the caller keeps them alive until the rope is written. */
    void append(MemorySegment bytes) {
        flush();
        if (bytes.byteSize() > 0) {
            pieces.add(bytes);
            flushedSize += bytes.byteSize();
        }
    }

    void append(Rope other) {
        flush();
        other.flush();
        pieces.addAll(other.pieces);
        flushedSize += other.flushedSize;
    }

    /** Appends {@code count} zero bytes (alignment padding). */
    void pad(long count) {
        if (count > 0) {
            append(MemorySegment.ofArray(new byte[Math.toIntExact(count)]));
        }
    }

    void writeTo(WritableByteChannel channel) throws IOException {
        flush();
        for (MemorySegment piece : pieces) {
            for (long offset = 0; offset < piece.byteSize(); offset += MAX_WRITE) {
                ByteBuffer buffer = piece.asSlice(offset, Math.min(MAX_WRITE, piece.byteSize() - offset)).asByteBuffer();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
    }

    /** Copies the rope into {@code target} from its offset 0; the target must hold {@link #size()} bytes. */
    void copyTo(MemorySegment target) {
        flush();
        long offset = 0;
        for (MemorySegment piece : pieces) {
            MemorySegment.copy(piece, 0, target, offset, piece.byteSize());
            offset += piece.byteSize();
        }
    }

    private void flush() {
        if (!pending.isEmpty()) {
            pieces.add(MemorySegment.ofArray(pending.toByteArray()));
            flushedSize += pending.size();
            pending.clear();
        }
    }
}
