import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Feeds the README's example what its comments leave to the reader: the model's bytes (all-MiniLM-L6-v2, which
 * wsvd's dependencies put on the class path) and its tokenizer.json in the working folder.
 */
public final class RunExample {
    public static void main(String[] args) throws Exception {
        byte[] modelBytes;
        try (InputStream model = resource("all-minilm-l6-v2.onnx");
             InputStream tokenizer = resource("all-minilm-l6-v2-tokenizer.json")) {
            modelBytes = model.readAllBytes();
            Files.copy(tokenizer, Path.of("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        CompressAndServe.compressAndServe(modelBytes);
    }

    private static InputStream resource(String name) {
        InputStream in = RunExample.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path; wsvd's dependencies should bring it");
        }
        return in;
    }
}
