package dev.wsvd.selection;

import dev.wsvd.json.JsonDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalScoresTest {

    @TempDir
    Path dir;

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static EvalScores sample() {
        EvalScores s = new EvalScores();
        // Insertion order deliberately not sorted: layers in forward order, ratios as scored.
        s.record("features.3", d("0.5"), 0.61);
        s.record("features.3", d("0.1"), 0.05);
        s.record("conv1", d("0.3333333333333333333333333333"), 0.1 + 0.2);
        s.record("conv1", d("0.50"), 1e-300);
        s.record("fc", d("0.6666666666666666666666666666"), -2.5);
        return s;
    }

    @Test
    void recordKeepsInsertionOrderOfLayersAndRatios() {
        EvalScores s = sample();
        assertEquals(List.of("features.3", "conv1", "fc"), s.layers());
        assertEquals(List.of(new RatioScore(d("0.5"), 0.61), new RatioScore(d("0.1"), 0.05)), s.scores("features.3"));
        assertEquals(5, s.size());
        assertEquals(List.of(), s.scores("nope"));
    }

    @Test
    void equalDecimalsAreTheSameKeyAndTheFirstDigitsStay() {
        EvalScores s = new EvalScores();
        s.record("a", d("0.5"), 1);
        s.record("a", d("0.2"), 2);
        s.record("a", d("0.50"), 3);
        assertEquals(List.of(new RatioScore(d("0.5"), 3), new RatioScore(d("0.2"), 2)), s.scores("a"));
        assertEquals(OptionalDouble.of(3), s.score("a", d("0.500")));
        assertTrue(s.contains("a", d("0.2000")));
        assertFalse(s.contains("a", d("0.3")));
        assertFalse(s.contains("b", d("0.5")));
    }

    @Test
    void recordRejectsBadInput() {
        EvalScores s = new EvalScores();
        assertThrows(IllegalArgumentException.class, () -> s.record(" ", d("0.5"), 1));
        assertThrows(IllegalArgumentException.class, () -> s.record("a", d("0"), 1));
        assertThrows(IllegalArgumentException.class, () -> s.record("a", d("1.01"), 1));
        assertThrows(IllegalArgumentException.class, () -> s.record("a", d("0.5"), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> s.record("a", d("0.5"), Double.NEGATIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> s.record("a", null, 1));
        assertTrue(s.isEmpty());
    }

    @Test
    void saveAndLoadRoundTripExactly() throws IOException {
        EvalScores s = sample();
        Path file = dir.resolve("scores.json");
        s.saveTo(file);
        EvalScores back = EvalScores.load(file);
        assertEquals(s, back);
        assertEquals(s.layers(), back.layers());
        for (String layer : s.layers()) {
            List<RatioScore> a = s.scores(layer);
            List<RatioScore> b = back.scores(layer);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).ratio().toString(), b.get(i).ratio().toString());
                assertEquals(Double.doubleToRawLongBits(a.get(i).score()), Double.doubleToRawLongBits(b.get(i).score()));
            }
        }
        // Keys are written with the reference's digits.
        String json = Files.readString(file);
        assertTrue(json.contains("\"0.3333333333333333333333333333\""), json);
        assertTrue(json.contains("\"0.50\""), json);
    }

    @Test
    void equalityNoticesOrderAndDigits() {
        EvalScores a = new EvalScores();
        a.record("x", d("0.1"), 1);
        a.record("y", d("0.1"), 1);
        EvalScores b = new EvalScores();
        b.record("y", d("0.1"), 1);
        b.record("x", d("0.1"), 1);
        assertNotEquals(a, b);
        EvalScores c = new EvalScores();
        c.record("x", d("0.10"), 1);
        c.record("y", d("0.1"), 1);
        assertNotEquals(a, c);
        assertEquals(a, a.copy());
    }

    @Test
    void saveReplacesAnEarlierFileAndLeavesNoTemporaryBehind() throws IOException {
        Path file = dir.resolve("sub/dir/scores.json");
        EvalScores s = new EvalScores();
        s.record("a", d("0.1"), 0.5);
        s.saveTo(file);
        s.record("a", d("0.2"), 0.7);
        s.saveTo(file);
        assertEquals(s, EvalScores.load(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aResumedRunEvaluatesOnlyWhatIsMissing() throws IOException {
        List<BigDecimal> ratios = CandidateRatios.of(4);
        List<String> layers = List.of("conv1", "conv2");
        Path file = dir.resolve("scores.json");

        // First run: killed after three evaluations, each saved as it came.
        EvalScores first = new EvalScores();
        List<EvalTask> all = first.missing(layers, ratios);
        assertEquals(6, all.size());
        assertEquals(new EvalTask("conv1", d("0.25")), all.get(0));
        assertEquals(new EvalTask("conv2", d("0.75")), all.get(5));
        for (EvalTask t : all.subList(0, 3)) {
            first.record(t.layer(), t.ratio(), t.ratio().doubleValue() * 2);
            first.saveTo(file);
        }

        EvalScores resumed = EvalScores.load(file);
        List<EvalTask> rest = resumed.missing(layers, ratios);
        assertEquals(all.subList(3, 6), rest);
        for (EvalTask t : rest) {
            resumed.record(t.layer(), t.ratio(), t.ratio().doubleValue() * 2);
            resumed.saveTo(file);
        }
        assertEquals(List.of(), EvalScores.load(file).missing(layers, ratios));
        assertEquals(OptionalDouble.of(1.0), EvalScores.load(file).score("conv1", d("0.50")));
    }

    private void assertMalformed(String content, String expectedProblem) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content);
        JsonDocuments.MalformedException e = assertThrows(JsonDocuments.MalformedException.class, () -> EvalScores.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expectedProblem), e.getMessage());
        assertEquals(file, e.file());
    }

    private static String wrap(String layers) {
        return "{\"format\": \"wsvd.greedy-eval-scores\", \"format_version\": 3, \"provenance\": null, \"layers\": " + layers + "}";
    }

    @Test
    void malformedFilesNameTheFileAndTheProblem() throws IOException {
        assertMalformed("", "empty");
        assertMalformed("{\"format\": ", "not valid JSON");
        assertMalformed("[1, 2]", "the top level must be a JSON object");
        assertMalformed("{\"format_version\": 2, \"layers\": {}}", "\"format\"");
        assertMalformed("{\"format\": \"something-else\", \"format_version\": 2, \"layers\": {}}", "\"format\"");
        assertMalformed("{\"format\": \"wsvd.greedy-eval-scores\", \"format_version\": 2, \"layers\": {}}",
                "\"format_version\" must be 3"); // layout 2 had no provenance
        assertMalformed("{\"format\": \"wsvd.greedy-eval-scores\", \"version\": 1, \"layers\": {}}",
                "\"format_version\" must be 3, found nothing"); // the layout before format_version
        assertMalformed("{\"format\": \"wsvd.greedy-eval-scores\", \"format_version\": 3, \"provenance\": null}", "layers: missing");
        assertMalformed(wrap("{\"conv1\": [0.1, 0.2]}"), "layers.conv1: expected an object");
        assertMalformed(wrap("{\"conv1\": {}}"), "layer \"conv1\" has no scores");
        assertMalformed(wrap("{\"conv1\": {\"half\": 0.5}}"), "ratio key \"half\" is not a decimal number");
        assertMalformed(wrap("{\"conv1\": {\"1.5\": 0.5}}"), "ratio 1.5 is outside (0, 1]");
        assertMalformed(wrap("{\"conv1\": {\"0\": 0.5}}"), "outside (0, 1]");
        assertMalformed(wrap("{\"conv1\": {\"0.5\": 0.5, \"0.50\": 0.6}}"), "ratio 0.50 appears twice");
        assertMalformed(wrap("{\"conv1\": {\"0.5\": 0.5, \"0.5\": 0.6}}"), "Duplicate");
        assertMalformed(wrap("{\"conv1\": {\"0.5\": \"high\"}}"), "layers.conv1[\"0.5\"]: expected a number");
        assertMalformed(wrap("{\"conv1\": {\"0.5\": 1e999}}"), "is not finite");
        assertMalformed(wrap("{\"conv1\": {\"0.5\": 0.5}}") + " {}", "not valid JSON");
    }

    @Test
    void aMissingFileIsAnIOExceptionNamingIt() {
        Path file = dir.resolve("absent.json");
        IOException e = assertThrows(IOException.class, () -> EvalScores.load(file));
        assertTrue(String.valueOf(e.getMessage()).contains("absent.json"), e.getMessage());
    }
}
