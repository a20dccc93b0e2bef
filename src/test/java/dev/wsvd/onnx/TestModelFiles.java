package dev.wsvd.onnx;

import java.nio.file.Path;

/** Test model files for tests in other packages. */
public final class TestModelFiles {
    private TestModelFiles() {
    }

    /** all-MiniLM-L6-v2, extracted once into target/test-models. */
    public static Path miniLm() {
        return TestModels.miniLm();
    }
}
