package dev.wsvd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.json.JsonDocuments;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static final List<String> TOP_LEVEL = List.of("format", "format_version", "mode", "cost_metric", "scores", "cost", "target",
            "layers", "eval_dictionary", "error_profiles", "timings_ms", "environment", "input_model", "output_model", "method",
            "calibration", "score_sets", "selection",
            "latency");
    private static final List<String> LAYER_FIELDS = List.of("name", "op", "weight_shape", "max_rank", "compressed", "rank", "ratio",
            "relative_error", "params_before", "params_after", "macs_before", "macs_after", "skip_reason", "skip_detail",
            "output_error", "calibration_rows", "gram_shift", "calibration_fallback");

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static JsonNode parse(String json) throws IOException {
        return PLAIN.readTree(json);
    }

    private static final Path SOURCE = Path.of("report.json");

    /** Reads report.json text back into its records, as any reader of the format would. */
    static ReportDocument read(String json) throws JsonDocuments.MalformedException {
        return JsonDocuments.parse(json, SOURCE, ReportDocument.class, JsonReport.FORMAT, JsonReport.FORMAT_VERSION);
    }

    private static ReportDocument read(JsonNode tree) throws JsonDocuments.MalformedException {
        return read(tree.toString());
    }

    private static ObjectNode tree(CompressionStats stats) throws IOException {
        return (ObjectNode) PLAIN.readTree(JsonReport.toJson(stats));
    }

    @Test
    void everySampleRoundTripsToEqualRecords() throws IOException {
        for (CompressionStats stats : List.of(SampleStats.cnnAuto(), SampleStats.cnnManual(), SampleStats.miniLmAuto(), withFitAndOddValues())) {
            String json = JsonReport.toJson(stats);
            ReportDocument back = read(json);
            assertEquals(ReportDocument.of(stats), back);
            assertEquals(json, JsonDocuments.toText(back), "writing is deterministic");
        }
    }

    @Test
    void roundTripIsNotVacuous() throws IOException {
        // equality of the records must be able to fail: a changed score or profile value is noticed
        ObjectNode tree = tree(SampleStats.cnnAuto());
        ((ObjectNode) tree.get("eval_dictionary").get("layers").get(0).get("measured").get(3)).put("score", 0.5);
        assertNotEquals(ReportDocument.of(SampleStats.cnnAuto()), read(tree));
        ObjectNode profileTree = tree(SampleStats.cnnAuto());
        ((ArrayNode) profileTree.get("error_profiles").get(0).get("relative_error")).set(4, 0.123);
        assertNotEquals(ReportDocument.of(SampleStats.cnnAuto()), read(profileTree));
    }

    /** A fit, an in-memory input, a detail-less skip, durations with nanoseconds and hours. */
    private static CompressionStats withFitAndOddValues() {
        CompressionStats cnn = SampleStats.cnnAuto();
        Map<String, Map<Double, Double>> fitted = new LinkedHashMap<>();
        fitted.put("conv2", new TreeMap<>(Map.of(0.1, 0.61, 0.5, 0.905, 0.9, 0.9135)));
        Map<String, Map<Double, Double>> measured = new LinkedHashMap<>();
        cnn.evalDictionary().measured().forEach(measured::put);
        return CompressionStats.builder(cnn.mode(), cnn.costMetric()).scores(cnn.scores()).target(cnn.target()).layers(cnn.layers())
                .evalDictionary(EvalDictionary.of(0.9134, measured, fitted))
                .timings(PhaseTimes.builder().svd(Duration.ofNanos(1)).evaluation(Duration.ofSeconds(3 * 3600 + 5, 123_456_789))
                        .total(Duration.ofSeconds(4 * 3600, 999_999_999)).build())
                .environment(cnn.environment()).inputModel(ModelFile.inMemory(13_197_812)).build();
    }

    @Test
    void topLevelFieldsAreStableAndAlwaysPresent() throws IOException {
        for (CompressionStats stats : List.of(SampleStats.cnnAuto(), SampleStats.cnnManual())) {
            JsonNode root = parse(JsonReport.toJson(stats));
            assertEquals(TOP_LEVEL, fieldNames(root));
            assertEquals("wsvd-compression-report", root.get("format").textValue());
            assertEquals(1, root.get("format_version").intValue());
            for (JsonNode layer : root.get("layers")) {
                assertEquals(LAYER_FIELDS, fieldNames(layer), "every layer has every field, null where it does not apply");
            }
            assertEquals(List.of("svd", "rewriting", "evaluation", "selection", "writing", "total"), fieldNames(root.get("timings_ms")));
        }
        JsonNode manual = parse(JsonReport.toJson(SampleStats.cnnManual()));
        assertEquals("manual", manual.get("mode").textValue());
        assertEquals("mac", manual.get("cost_metric").textValue());
        assertTrue(manual.get("scores").isNull() && manual.get("target").isNull() && manual.get("eval_dictionary").isNull()
                && manual.get("output_model").isNull());
    }

    @Test
    void numbersAreJsonNumbersWithTheFiguresOfTheRun() throws IOException {
        JsonNode root = parse(JsonReport.toJson(SampleStats.cnnAuto()));
        JsonNode cost = root.get("cost");
        assertTrue(cost.get("memory_before").isIntegralNumber());
        assertEquals(3_273_504L, cost.get("memory_before").longValue());
        assertEquals(682_950L, cost.get("memory_after").longValue());
        assertEquals(13_883_904L, cost.get("macs_before").longValue());
        assertEquals(7_992_390L, cost.get("macs_after").longValue());
        assertTrue(cost.get("mac_ratio").isFloatingPointNumber());
        assertEquals(7_992_390.0 / 13_883_904.0, cost.get("mac_ratio").doubleValue(), 0);
        assertEquals(682_950.0 / 3_273_504.0, cost.get("memory_ratio").doubleValue(), 0);
        JsonNode target = root.get("target");
        assertEquals(0.58, target.get("ratio").doubleValue(), 0);
        assertTrue(target.get("reached").isBoolean() && !target.get("reached").booleanValue());
        assertEquals(0.001, target.get("tolerance").doubleValue(), 0);
        JsonNode scores = root.get("scores");
        assertEquals(-0.0063, scores.get("change").doubleValue(), 1e-15);

        JsonNode conv1 = root.get("layers").get(0);
        assertEquals("conv1", conv1.get("name").textValue());
        assertTrue(conv1.get("rank").isNull() && conv1.get("ratio").isNull() && conv1.get("relative_error").isNull());
        assertEquals("ignored", conv1.get("skip_reason").textValue());
        assertEquals("modules to ignore", conv1.get("skip_detail").textValue());
        assertEquals(800, conv1.get("params_after").intValue(), "kept layers report their unchanged cost");
        JsonNode conv2 = root.get("layers").get(1);
        assertEquals(21, conv2.get("rank").intValue());
        assertEquals(List.of(64, 32, 5, 5), List.of(conv2.get("weight_shape").get(0).intValue(), conv2.get("weight_shape").get(1).intValue(),
                conv2.get("weight_shape").get(2).intValue(), conv2.get("weight_shape").get(3).intValue()));
        assertTrue(conv2.get("skip_reason").isNull());

        JsonNode eval = root.get("eval_dictionary");
        assertEquals(0.9134, eval.get("baseline_score").doubleValue(), 0);
        JsonNode first = eval.get("layers").get(0);
        assertEquals("conv2", first.get("name").textValue());
        assertEquals(9, first.get("measured").size());
        assertEquals(0.1, first.get("measured").get(0).get("ratio").doubleValue(), 0);
        assertEquals(0.6120, first.get("measured").get(0).get("score").doubleValue(), 0);
        assertTrue(first.get("fitted").isNull());

        JsonNode profile = root.get("error_profiles").get(0);
        assertEquals("conv2", profile.get("layer").textValue());
        assertEquals(32, profile.get("relative_error").size());
        assertEquals(1632 * 3L, profile.get("params").get(2).longValue(), "index 2 is rank 3: 3 * (32 + 64 * 25)");
    }

    @Test
    void durationsAreExactMilliseconds() throws IOException {
        JsonNode timings = parse(JsonReport.toJson(SampleStats.cnnManual())).get("timings_ms");
        assertEquals(0, new BigDecimal("48.123456").compareTo(timings.get("svd").decimalValue()), timings.toString());
        assertEquals(0, new BigDecimal("3.400001").compareTo(timings.get("rewriting").decimalValue()), timings.toString());
        assertEquals(21, timings.get("writing").intValue());
        assertTrue(timings.get("writing").isIntegralNumber(), "whole milliseconds are written without decimals");
        assertEquals(0, new BigDecimal("72.523457").compareTo(timings.get("total").decimalValue()), timings.toString());
        String odd = JsonReport.toJson(withFitAndOddValues());
        assertTrue(odd.contains("\"svd\" : 0.000001,"), "1 ns is 0.000001 ms, written plainly");
        assertTrue(odd.contains("\"evaluation\" : 10805123.456789,"), "3 h 5 s 123,456,789 ns");
        assertTrue(odd.contains("\"total\" : 14400999.999999\n"), "4 h 999,999,999 ns");
    }

    @Test
    void fittedScoresAreWrittenBesideTheMeasuredOnes() throws IOException {
        JsonNode eval = parse(JsonReport.toJson(withFitAndOddValues())).get("eval_dictionary");
        assertTrue(eval.get("monotonic_fit").booleanValue());
        assertEquals(3, eval.get("layers").get(0).get("fitted").size());
        assertTrue(eval.get("layers").get(1).get("fitted").isNull());
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        ObjectNode tree = tree(SampleStats.cnnAuto());
        tree.put("written_by", "a later wsvd");
        ((ObjectNode) tree.get("layers").get(1)).put("latency_ms", 0.3);
        assertEquals(ReportDocument.of(SampleStats.cnnAuto()), read(tree));
    }

    @Test
    void invalidDocumentsFailWithThePathOfTheField() throws IOException {
        assertMessage(() -> read("{ not json"), "not valid JSON");
        assertMessage(() -> read("[1, 2]"), "must be a JSON object");
        assertMessage(() -> read("{\"format\": \"something-else\"}"), "\"format\" must be \"wsvd-compression-report\"");

        ObjectNode newer = tree(SampleStats.cnnAuto());
        newer.put("format_version", 2);
        assertMessage(() -> read(newer), "\"format_version\" must be 1, found 2 (written by a newer wsvd)");

        ObjectNode missingRank = tree(SampleStats.cnnAuto());
        ((ObjectNode) missingRank.get("layers").get(1)).remove("rank");
        assertMessage(() -> read(missingRank), "layers[1].rank: missing");

        ObjectNode textRank = tree(SampleStats.cnnAuto());
        ((ObjectNode) textRank.get("layers").get(1)).put("rank", "21");
        assertMessage(() -> read(textRank), "layers[1].rank: expected a whole number");

        ObjectNode fractionalRank = tree(SampleStats.cnnAuto());
        ((ObjectNode) fractionalRank.get("layers").get(1)).put("rank", 21.5);
        assertMessage(() -> read(fractionalRank), "layers[1].rank: expected a whole number");

        ObjectNode badTime = tree(SampleStats.cnnAuto());
        ((ObjectNode) badTime.get("timings_ms")).put("svd", "fast");
        assertMessage(() -> read(badTime), "timings_ms.svd: expected a number");
    }

    @Test
    void readingAFileNamesTheFile(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("report.json");
        Files.writeString(good, JsonReport.toJson(SampleStats.miniLmAuto()));
        assertEquals(ReportDocument.of(SampleStats.miniLmAuto()),
                JsonDocuments.read(good, ReportDocument.class, JsonReport.FORMAT, JsonReport.FORMAT_VERSION));
        Path bad = dir.resolve("broken.json");
        Files.writeString(bad, JsonReport.toJson(SampleStats.miniLmAuto()).substring(0, 500));
        var error = assertThrows(JsonDocuments.MalformedException.class,
                () -> JsonDocuments.read(bad, ReportDocument.class, JsonReport.FORMAT, JsonReport.FORMAT_VERSION));
        assertTrue(error.getMessage().startsWith(bad.toString()), error.getMessage());
        assertThrows(IOException.class, () -> JsonDocuments.read(dir.resolve("missing.json"), ReportDocument.class,
                JsonReport.FORMAT, JsonReport.FORMAT_VERSION));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable action, String expected) {
        var error = assertThrows(JsonDocuments.MalformedException.class, action);
        assertTrue(error.getMessage().contains(expected), "expected \"" + expected + "\" in: " + error.getMessage());
    }
}
