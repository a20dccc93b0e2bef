package dev.wsvd.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules every wsvd JSON document shares, on a small document made for the test. */
class JsonDocumentsTest {
    private static final Path SOURCE = Path.of("test.json");

    record Point(double ratio, double score) {
    }

    record Sample(String format, int formatVersion, String layerName, Integer maxRank, BigDecimal timingMs, List<Point> points,
                  Map<String, Double> scoresByRatio) {
    }

    private static Sample sample() {
        return new Sample("wsvd-test", 3, "fc", null, new BigDecimal("0.000001"), List.of(new Point(0.5, 0.25)),
                Map.of("0.50", 1.0));
    }

    private static Sample parse(String json) throws JsonDocuments.MalformedException {
        return JsonDocuments.parse(json, SOURCE, Sample.class, "wsvd-test", 3);
    }

    private static String problem(String json) {
        return assertThrows(JsonDocuments.MalformedException.class, () -> parse(json)).getMessage();
    }

    private static String withLayer(String layerNameAndRank) {
        return "{\"format\": \"wsvd-test\", \"format_version\": 3, " + layerNameAndRank
                + ", \"timing_ms\": 1, \"points\": [], \"scores_by_ratio\": {}}";
    }

    @Test
    void componentsAreSnakeCaseInOrderWithNullsWrittenAndDecimalsPlain() {
        assertEquals("""
                {
                  "format" : "wsvd-test",
                  "format_version" : 3,
                  "layer_name" : "fc",
                  "max_rank" : null,
                  "timing_ms" : 0.000001,
                  "points" : [ {
                    "ratio" : 0.5,
                    "score" : 0.25
                  } ],
                  "scores_by_ratio" : {
                    "0.50" : 1.0
                  }
                }
                """, JsonDocuments.toText(sample()), "map keys are data, not names: they keep their spelling");
    }

    @Test
    void aWrittenFileReadsBackAsAnEqualRecord(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sample.json");
        JsonDocuments.write(file, sample());
        assertEquals(sample(), JsonDocuments.read(file, Sample.class, "wsvd-test", 3));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "written through a temporary file, which is gone");
        }
    }

    @Test
    void theFormatAndItsVersionAreCheckedFirst() {
        assertTrue(problem("{\"format\": \"other\"}").contains("\"format\" must be \"wsvd-test\", found \"other\""));
        assertTrue(problem("{\"format\": \"wsvd-test\"}").contains("\"format_version\" must be 3, found nothing"));
        assertTrue(problem("{\"format\": \"wsvd-test\", \"format_version\": 4}").contains("found 4 (written by a newer wsvd)"));
    }

    @Test
    void readingIsStrictAboutWhatIsThere() {
        assertTrue(problem("   ").endsWith("test.json: is empty"));
        assertTrue(problem("{\"format\": ").contains("is not valid JSON"));
        assertTrue(problem("[]").contains("the top level must be a JSON object, found an array"));
        assertTrue(problem(withLayer("\"layer_name\": \"fc\", \"layer_name\": \"fc\", \"max_rank\": 1")).contains("Duplicate"));
        assertTrue(problem(withLayer("\"layer_name\": \"fc\", \"max_rank\": 1") + " {}").contains("is not valid JSON"));
        assertTrue(problem(withLayer("\"layer_name\": \"fc\", \"max_rank\": \"1\"")).contains("max_rank: expected a whole number"));
        assertTrue(problem(withLayer("\"layer_name\": \"fc\", \"max_rank\": 1.5")).contains("max_rank: expected a whole number"));
        assertTrue(problem(withLayer("\"layer_name\": 7, \"max_rank\": 1")).contains("layer_name: expected a string"));
        assertTrue(problem(withLayer("\"max_rank\": 1")).contains("layer_name: missing"));
        String nested = "{\"format\": \"wsvd-test\", \"format_version\": 3, \"layer_name\": \"fc\", \"max_rank\": 1,"
                + " \"timing_ms\": 1, \"points\": [{\"ratio\": 0.5, \"score\": \"high\"}], \"scores_by_ratio\": {\"0.5\": true}}";
        assertTrue(problem(nested).contains("points[0].score: expected a number"), problem(nested));
    }

    @Test
    void andLenientAboutWhatIsNot() throws JsonDocuments.MalformedException {
        Sample read = parse(withLayer("\"layer_name\": \"fc\", \"max_rank\": 2, \"added_later\": [1, 2]"));
        assertEquals(2, read.maxRank(), "an unknown key is ignored");
        assertEquals(0, new BigDecimal("1").compareTo(read.timingMs()));
    }
}
