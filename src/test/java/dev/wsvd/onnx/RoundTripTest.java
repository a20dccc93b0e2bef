package dev.wsvd.onnx;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
    @TempDir
    Path folder;

    @Test
    void miniLmIsWrittenBackByteForByte() throws Exception {
        byte[] original = Files.readAllBytes(TestModels.miniLm());
        try (OnnxModel model = OnnxModel.read(TestModels.miniLm())) {
            byte[] written = model.toByteArray();
            // independent check first: protobuf-java's own full parse of both sides agrees
            assertEquals(ModelProto.parseFrom(original), ModelProto.parseFrom(written));
            assertArrayEquals(original, written);
        }
    }

    @Test
    void skeletonHoldsNoWeightBytes() throws Exception {
        try (OnnxModel model = OnnxModel.read(TestModels.miniLm())) {
            long size = Files.size(TestModels.miniLm());
            assertTrue(model.skeleton().getSerializedSize() < size / 100,
                    "skeleton of " + model.skeleton().getSerializedSize() + " bytes for a " + size + " byte model");
            for (TensorProto initializer : model.skeleton().getGraph().getInitializerList()) {
                assertFalse(initializer.hasRawData(), initializer.getName());
            }
        }
    }
}
