package dev.wsvd;

import java.nio.file.Path;

/**
 * A model that went into or came out of a run.
 *
 * @param location  where it was read from or written to (a path as given, or a resource name such as
 *                  {@code classpath:all-minilm-l6-v2.onnx}), or null when it only lived in memory
 * @param sizeBytes its serialised size in bytes
 */
public record ModelFile(String location, long sizeBytes) {
    /** Checks that a location, when given, is not blank and that the size is not negative. */
    public ModelFile {
        if (location != null) {
            Checks.requireText(location, "model location");
        }
        Checks.requireNonNegative(sizeBytes, "model size in bytes");
    }

    /** A model file at {@code path} of {@code sizeBytes} bytes. */
    public static ModelFile at(Path path, long sizeBytes) {
        return new ModelFile(path.toString(), sizeBytes);
    }

    /** A model that was only passed as bytes or a buffer. */
    public static ModelFile inMemory(long sizeBytes) {
        return new ModelFile(null, sizeBytes);
    }
}
