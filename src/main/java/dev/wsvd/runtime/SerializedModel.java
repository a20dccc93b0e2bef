package dev.wsvd.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A model its owner can serialize on demand, for {@link ModelSession#open(SerializedModel, SessionSettings, int)}:
 * whole in memory when it fits in one protobuf message, or as a file with external data when it does not.
 */
public interface SerializedModel {
    /** What messages call the model. */
    String description();

    /** Its size serialized with every tensor inline. */
    long inlineSize();

    /** The model serialized with every tensor inline into a new direct buffer (position 0, limit its size). */
    ByteBuffer inline();

    /** Writes the model to {@code file}, its tensor data in an external data file beside it. */
    void writeWithExternalData(Path file) throws IOException;
}
