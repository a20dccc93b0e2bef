package dev.wsvd.onnx;

import dev.wsvd.onnx.wire.WireModel;
import dev.wsvd.runtime.ModelSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model built in memory (a probe, a copy with layer inputs exposed) as ONNX Runtime takes it: serialized into a
 * direct buffer, or written with external data when it is over protobuf's 2 GB. The one bridge from the wire
 * codec to {@link ModelSession}; the session, not this, decides which.
 */
public final class SessionModels {
    private SessionModels() {
    }

    /** {@code model} for {@link ModelSession#open(ModelSession.SerializedModel, dev.wsvd.runtime.SessionSettings, int)}. */
    public static ModelSession.SerializedModel of(WireModel model, String description) {
        return new Serialized(Objects.requireNonNull(model, "model"), Objects.requireNonNull(description, "description"));
    }

    private record Serialized(WireModel model, String description) implements ModelSession.SerializedModel {
        @Override
        public long inlineSize() {
            return model.inlineSize();
        }

        @Override
        public ByteBuffer inline() {
            return model.toDirectByteBuffer();
        }

        @Override
        public void writeWithExternalData(Path file) throws IOException {
            model.write(file, WireModel.ExternalData.EXTERNAL);
        }
    }
}
