package dev.wsvd;


import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A serialized model: bytes in memory or a file. The compressor reads the model to compress from one, and hands
 * candidates and the compressed model to an {@link Evaluator} as one.
 *
 * <p>In-memory models are direct buffers, which ONNX Runtime's {@code createSession(ByteBuffer, SessionOptions)}
 * reads without a file and without a copy on the Java side; a server can compress and evaluate without
 * touching disk. Sources are immutable values: they never move a caller's buffer position and can be
 * evaluated from several threads at once.
 */
public sealed interface ModelSource permits ModelSource.InMemory, ModelSource.OnDisk, CandidateSource {

    /** A model file. */
    static ModelSource of(Path path) {
        return new OnDisk(path);
    }

    /**
     * A serialized model between {@code direct}'s position and limit. The buffer is not copied: keep its
     * contents unchanged while the source is in use.
     *
     * @throws IllegalArgumentException if the buffer is not direct (use {@link #of(byte[])} for heap bytes) or empty
     */
    static ModelSource of(ByteBuffer direct) {
        return new InMemory(direct, null);
    }

    /** A serialized model held in a heap array, copied once into a direct buffer. */
    static ModelSource of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return new InMemory(direct, null);
    }

    /**
     * A model stored as a class-path resource (for instance {@code /all-minilm-l6-v2.onnx}), read once into
     * a direct buffer.
     *
     * @throws IOException if the resource is missing or cannot be read
     */
    static ModelSource fromResource(String resource) throws IOException {
        Objects.requireNonNull(resource, "resource");
        // The class loader, not the class: it also finds other jars' resources when wsvd runs as a named module.
        try (InputStream in = ModelSource.class.getClassLoader().getResourceAsStream(resource.replaceFirst("^/", ""))) {
            if (in == null) {
                throw new IOException("model resource " + resource + " is not on the class path"
                        + " (resource names are absolute, like /all-minilm-l6-v2.onnx)");
            }
            byte[] bytes = in.readAllBytes();
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            return new InMemory(direct, "resource " + resource);
        }
    }

    /** What this source is, for messages: a file name, a resource name or the size of an in-memory model. */
    String description();

    /**
     * A model in a direct buffer.
     *
     * @param bytes the serialized model: a read-only view of the caller's buffer from its position to its limit
     * @param name what messages call it, or {@code null} for "in-memory model (size)"
     */
    record InMemory(ByteBuffer bytes, String name) implements ModelSource {
        /** Checks the buffer and takes a read-only view of its remaining bytes. */
        public InMemory {
            Objects.requireNonNull(bytes, "bytes");
            if (!bytes.isDirect()) {
                throw new IllegalArgumentException("an in-memory model must be a direct ByteBuffer (ONNX Runtime reads"
                        + " it without a copy); wrap heap bytes with ModelSource.of(byte[]), which copies them once");
            }
            if (!bytes.hasRemaining()) {
                throw new IllegalArgumentException("the model buffer is empty (position " + bytes.position()
                        + " = limit " + bytes.limit() + "); flip() it after writing the model?");
            }
            bytes = bytes.slice().asReadOnlyBuffer();
        }

        /** A fresh view of the model bytes, independent of other readers' positions. */
        @Override
        public ByteBuffer bytes() {
            return bytes.duplicate();
        }

        @Override
        public String description() {
            return name != null ? name : "in-memory model (" + bytes.remaining() + " bytes)";
        }
    }

    /**
     * A model file.
     *
     * @param path the file; it is only read
     */
    record OnDisk(Path path) implements ModelSource {
        /** Checks the path is given. */
        public OnDisk {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String description() {
            return path.toString();
        }
    }
}
