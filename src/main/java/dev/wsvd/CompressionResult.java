package dev.wsvd;

import dev.wsvd.CompressionStats;
import dev.wsvd.io.OutputPaths;
import dev.wsvd.onnx.OnnxModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A compressed model and the statistics of the run that made it.
 *
 * <p>The model is held without copying the weights it kept: they stay views of the input (a mapped file or
 * the caller's buffer, which must stay unchanged while this result is open). Serialize it with
 * {@link #toDirectByteBuffer()}, which ONNX Runtime's {@code createSession(ByteBuffer, SessionOptions)} reads
 * without another copy, {@link #toByteArray()}, or {@link #writeTo(Path)}. Close the result to release the
 * model's native memory; any use after close throws {@link IllegalStateException}.
 */
public final class CompressionResult implements AutoCloseable {
    private final OnnxModel model;
    private final CompressionStats stats;
    private ByteBuffer serialized; // the buffer the run evaluated, if it made one; handed out once
    private boolean closed;

    CompressionResult(OnnxModel model, ByteBuffer serialized, CompressionStats stats) {
        this.model = Objects.requireNonNull(model, "model");
        this.serialized = serialized;
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** What the run did: scores, ratios, per-layer ranks and errors, eval dictionary, timings. */
    public CompressionStats stats() {
        return stats;
    }

    /**
     * The compressed model serialized into a direct buffer (position 0, limit its size), ready for
     * {@code OrtEnvironment.createSession(buffer, options)}. Each call returns a buffer of its own.
     */
    public synchronized ByteBuffer toDirectByteBuffer() {
        checkOpen();
        if (serialized != null) {
            ByteBuffer buffer = serialized;
            serialized = null; // the caller owns it now; later calls serialize again
            return buffer;
        }
        return model.toDirectByteBuffer();
    }

    /** The compressed model serialized into a byte array. */
    public byte[] toByteArray() {
        checkOpen();
        return model.toByteArray();
    }

    /**
     * Writes the compressed model to {@code file} atomically (a temporary file in the same folder, then a move).
     *
     * @throws IOException if the write fails; before writing anything, if {@code file} is a folder or its folder does
     *                     not exist or is not writable (the message says which, as the command line does), or if it is
     *                     a file the model reads (the input)
     */
    public void writeTo(Path file) throws IOException {
        checkOpen();
        OutputPaths.check(file, null); // the input itself is refused by the write, which knows every file the model maps
        model.write(file);
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this compression result was closed; its model is released");
        }
    }

    /** Releases the compressed model. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            serialized = null;
            model.close();
        }
    }
}
