package dev.wsvd.runtime;

import dev.wsvd.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a session is opened on: serialized model bytes or a model file, and initializers (weights) that
 * replace the model's own when the session opens, so a candidate with one weight swapped needs neither a copy
 * of the model nor a serialization.
 *
 * @param bytes        the serialized model (a direct buffer, read from its position to its limit), or null for a file
 * @param file         the model file, or null for bytes
 * @param initializers replacement tensors by initializer name (borrowed: keep them open while the session lives)
 * @param description  what messages call the model
 */
public record SessionModel(ByteBuffer bytes, Path file, Map<String, Tensor> initializers, String description) {

    /** Checks that exactly one of bytes and file is given and copies the replacement map. */
    public SessionModel {
        if ((bytes == null) == (file == null)) {
            throw new IllegalArgumentException("a session model is either bytes or a file, not " + (bytes == null ? "neither" : "both"));
        }
        if (bytes != null && !bytes.isDirect()) {
            throw new IllegalArgumentException("ONNX Runtime reads in-memory models from direct buffers only");
        }
        Objects.requireNonNull(description, "description");
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(initializers, "initializers")));
    }

    /** A serialized model in a direct buffer. */
    public static SessionModel inMemory(ByteBuffer direct, String description) {
        return new SessionModel(direct, null, Map.of(), description);
    }

    /** A model file. */
    public static SessionModel onDisk(Path file) {
        return new SessionModel(null, file, Map.of(), file.toString());
    }

    /** This model with {@code replacements} (by initializer name) substituted when the session opens. */
    public SessionModel withInitializers(Map<String, Tensor> replacements, String newDescription) {
        Map<String, Tensor> merged = new LinkedHashMap<>(initializers);
        merged.putAll(replacements);
        return new SessionModel(bytes, file, merged, newDescription);
    }
}
