package dev.wsvd;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library entry points check the output path before any work, with the command line's messages (issue 10,
 * item 15 left this for {@code WeightSvdCompressor.compress(model, output)} and {@code CompressionResult.writeTo}).
 */
class LibraryOutputPathTest {
    @TempDir
    Path dir;

    /** Phases begun: none means the run did no work. */
    private final List<String> phases = new ArrayList<>();

    private final ProgressListener listener = new ProgressListener() {
        @Override
        public void begin(String phase, int steps) {
            phases.add(phase);
        }
    };

    private Path model() throws IOException {
        GraphProto graph = GraphProto.newBuilder().setName("mlp")
                .addInput(value("x", FLOAT, 1, 16))
                .addOutput(value("y", FLOAT, 1, 16))
                .addInitializer(floats("w", dims(16, 16), Graphs.random(new Random(1), 256)))
                .addNode(node("MatMul", "fc", in("x", "w"), out("y")))
                .build();
        Path file = dir.resolve("model.onnx");
        Files.write(file, Graphs.model(graph, 13).toByteArray());
        return file;
    }

    private String refusal(Path input, Path output) {
        WeightSvdCompressor compressor = WeightSvdCompressor.builder().ratio(0.5).progress(listener).build();
        return assertThrows(CompressionException.class, () -> compressor.compress(ModelSource.of(input), output).close()).getMessage();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aFolderAMissingFolderAndTheInputAreRefusedBeforeAnyWork() throws Exception {
        Path input = model();
        byte[] original = Files.readAllBytes(input);
        Path folder = Files.createDirectory(dir.resolve("out"));

        assertEquals("cannot write " + folder + ": it is a folder; name a file in it", refusal(input, folder));
        Path missing = dir.resolve("missing").resolve("x.onnx");
        assertEquals("cannot write " + missing + ": the folder " + missing.getParent() + " does not exist", refusal(input, missing));
        assertFalse(Files.exists(missing.getParent()), "the missing folder is not created");
        assertTrue(refusal(input, input).endsWith("is the input file; write the output elsewhere (the input is never overwritten)"));

        assertEquals(List.of(), phases, "no work was done");
        assertEquals(List.of(input), files(), "nothing left behind");
        assertArrayEquals(original, Files.readAllBytes(input));
    }

    @Test
    void writeToChecksTheSameWay() throws Exception {
        Path input = model();
        Path folder = Files.createDirectory(dir.resolve("out"));
        try (CompressionResult result = WeightSvdCompressor.builder().ratio(0.5).build().compress(ModelSource.of(input))) {
            IOException error = assertThrows(IOException.class, () -> result.writeTo(folder));
            assertEquals("cannot write " + folder + ": it is a folder; name a file in it", error.getMessage());
            Path missing = dir.resolve("missing").resolve("x.onnx");
            error = assertThrows(IOException.class, () -> result.writeTo(missing));
            assertTrue(error.getMessage().endsWith("does not exist"), error.getMessage());
            assertEquals(List.of(input), files(), "nothing left behind");
            Path written = dir.resolve("x.onnx");
            result.writeTo(written);
            assertTrue(Files.size(written) > 0);
        }
    }
}
