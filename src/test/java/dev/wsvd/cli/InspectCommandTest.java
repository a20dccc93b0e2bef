package dev.wsvd.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wsvd inspect} on real models and on files that are not models. */
class InspectCommandTest {
    @TempDir
    Path folder;

    private static CliRun inspect(String... arguments) {
        return CliRun.verb("inspect", arguments);
    }

    private static Path fashionMnist() throws Exception {
        return Path.of(InspectCommandTest.class.getResource("/dev/wsvd/models/fashion-mnist/fashion-mnist-cnn.onnx").toURI());
    }

    @Test
    void listsTheCnnLayersWithTheirCosts() throws Exception {
        CliRun run = inspect(fashionMnist().toString(), "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode listing = new ObjectMapper().readTree(run.out());
        assertEquals("wsvd-layer-listing", listing.get("format").asText());
        assertEquals(1, listing.get("format_version").asInt());
        assertTrue(listing.get("input_shapes").isArray(), "snake_case, as every wsvd JSON document");
        JsonNode layers = listing.get("layers");
        assertEquals(4, layers.size());
        JsonNode conv2 = layers.get(1);
        assertEquals("/conv2/Conv", conv2.get("name").asText());
        assertEquals("Conv", conv2.get("op").asText());
        // independent arithmetic: 64 x 32 x 5 x 5 weights, applied at 14 x 14 output positions
        assertEquals(64 * 32 * 25, conv2.get("params").asLong());
        assertEquals(64L * 32 * 25 * 14 * 14, conv2.get("macs").asLong());
        assertEquals("sample", conv2.get("macs_per").asText());
        assertEquals(32, conv2.get("max_rank").asInt());
        // the pair costs r (32 + 64 x 25) MACs per position: it matches the original's 32 x 64 x 25 at r = 1600/1632 -> 31.4, so 32
        assertEquals(32, conv2.get("break_even_rank").asInt());
        JsonNode fc1 = layers.get(2);
        assertEquals(3136L * 1024, fc1.get("params").asLong());
        assertEquals(3136L * 1024, fc1.get("macs").asLong());
        assertEquals(1024, fc1.get("max_rank").asInt());
        // r (3136 + 1024) < 3136 x 1024  <=>  r < 771.9
        assertEquals(772, fc1.get("break_even_rank").asInt());
        assertTrue(fc1.get("compressible").asBoolean());
        // conv1 has one input channel: rank 1 is its only rank and costs 1 x (1 + 32 x 25) = 801 MACs per position,
        // more than the original's 32 x 25 = 800, so it is reported, not split
        JsonNode conv1 = layers.get(0);
        assertEquals(1, conv1.get("max_rank").asInt());
        assertFalse(conv1.get("compressible").asBoolean());
        assertTrue(conv1.get("reason").asText().contains("not worth splitting")
                && conv1.get("reason").asText().contains((1 + 32 * 25) * 28 * 28 + " MACs"), conv1.get("reason").asText());
    }

    @Test
    void tableHasOneRowPerLayer() throws Exception {
        CliRun run = inspect(fashionMnist().toString());
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].matches(".*fashion-mnist-cnn.onnx: 4 weight layers, [0-4] can be split"), lines[0]);
        assertTrue(lines[1].startsWith("layer"), lines[1]);
        assertTrue(Arrays.stream(lines).anyMatch(l -> l.startsWith("/fc1/Gemm") && l.contains("3,211,264")), run.out());
    }

    @Test
    void miniLmNeedsNoShapesButCountsPerTokenWhenGivenOne() throws Exception {
        Path model = dev.wsvd.onnx.TestModelFiles.miniLm();
        CliRun perRow = inspect(model.toString(), "--json");
        assertEquals(0, perRow.code(), perRow.err());
        JsonNode rows = new ObjectMapper().readTree(perRow.out()).get("layers");
        assertEquals(36, rows.size());
        assertEquals("row", rows.get(0).get("macs_per").asText());
        assertEquals(384L * 384, rows.get(0).get("macs").asLong());
        CliRun perSample = inspect(model.toString(), "--json", "--input-shape", "input_ids=1x16",
                "--input-shape", "attention_mask=1x16", "--input-shape", "token_type_ids=1x16");
        assertEquals(0, perSample.code(), perSample.err());
        JsonNode first = new ObjectMapper().readTree(perSample.out()).get("layers").get(0);
        assertEquals("sample", first.get("macs_per").asText());
        assertEquals(16L * 384 * 384, first.get("macs").asLong());
    }

    @Test
    void badFilesGetOneClearErrorNamingThem() throws Exception {
        Path text = folder.resolve("notes.onnx");
        Files.writeString(text, "these are my notes, not a model\n");
        Path truncated = folder.resolve("truncated.onnx");
        byte[] bytes = Files.readAllBytes(fashionMnist());
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
        for (Path bad : new Path[] {text, truncated}) {
            CliRun run = inspect(bad.toString());
            assertEquals(1, run.code());
            assertEquals("", run.out());
            String[] errors = run.err().strip().split("\n");
            assertEquals(1, errors.length, run.err());
            assertTrue(errors[0].startsWith("wsvd inspect: " + bad + " is not an ONNX model"), errors[0]);
        }
        CliRun missing = inspect(folder.resolve("nowhere.onnx").toString());
        assertEquals(1, missing.code());
        assertEquals("wsvd inspect: " + folder.resolve("nowhere.onnx") + ": no such file", missing.err().strip());
        CliRun badShape = inspect(fashionMnist().toString(), "--input-shape", "input=1xthree");
        assertEquals(2, badShape.code());
        assertTrue(badShape.err().contains("'three' is not a positive integer"), badShape.err());
        CliRun unknownInput = inspect(fashionMnist().toString(), "--input-shape", "pixels=1x1x28x28");
        assertEquals(2, unknownInput.code());
        assertTrue(unknownInput.err().contains("has no input 'pixels'"), unknownInput.err());
    }
}
