package dev.wsvd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsvd.selection.EvalScores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, made quick: the demo's whole path (embedded model, embedding evaluator, auto mode,
 * files, table) with 2 candidates (one ratio, 0.5, per layer) and 4 sentence pairs (20 held out) instead of 10 and 64 (1000).
 */
class DemoCommandTest {

    @Test
    void theDemoCompressesTheEmbeddedModelAndWritesEverything(@TempDir Path temp) throws Exception {
        Path dir = temp.resolve("wsvd-demo"); // not there yet, as on a fresh clone: the demo makes its own folder
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WsvdCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("demo", "--out", dir.toString(), "--pairs", "4", "--held-out", "20", "--target", "0.8",
                "--calibration-samples", "64");
        assertEquals(0, code, err.toString());

        assertTrue(Files.size(dir.resolve("all-minilm-l6-v2-wsvd.onnx")) > 0);
        // by default data-aware with the spectrum selection, then plain beside it: one probe per layer each, in a
        // scores file per split
        EvalScores dataAware = EvalScores.load(dir.resolve("eval-scores-4-pairs-data-aware-64-samples.json"));
        EvalScores plain = EvalScores.load(dir.resolve("eval-scores-4-pairs.json"));
        assertEquals(36, dataAware.size(), "36 MatMul layers, each probed once at ratio 0.5");
        assertEquals(36, plain.size());
        assertTrue(dataAware.provenance().split().startsWith("data-aware"), dataAware.provenance().split());
        assertEquals("plain", plain.provenance().split());
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        JsonNode target = report.get("target");
        assertEquals(0.8, target.get("ratio").doubleValue());
        assertEquals(Math.abs(target.get("achieved").doubleValue() - 0.8) <= 0.001, target.get("reached").booleanValue());
        assertTrue(report.get("layers").valueStream().anyMatch(layer -> layer.get("compressed").booleanValue()));
        assertTrue(Files.exists(dir.resolve("report.html")) && Files.exists(dir.resolve("report.txt")));
        String printed = out.toString();
        assertTrue(printed.contains("auto mode") && printed.contains("/encoder/layer.0/attention/self/query/MatMul"), printed);
        assertTrue(printed.contains("Retrieval top-1 on the 20 held-out sentence pairs"), printed);
        assertTrue(printed.contains("Scored on          held-out 20 WordNet sentence pairs"), printed);
        assertEquals(false, report.get("score_sets").get("shared").booleanValue());
        assertEquals("data-aware", report.get("method").textValue());
        assertEquals("spectrum", report.get("selection").get("mode").textValue());
        int table = printed.indexOf("Side by side at the same target, scored on 20 WordNet sentence pairs");
        assertTrue(table > 0, printed);
        String sideBySide = printed.substring(table);
        assertTrue(sideBySide.contains("plain (AIMET's split)") && sideBySide.contains("data-aware"), sideBySide);
        assertTrue(sideBySide.lines().anyMatch(line -> line.startsWith("Mean cosine")), sideBySide);
    }

    @Test
    void anOutThatIsAFileIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "not a folder");
        StringWriter err = new StringWriter();
        CommandLine cli = WsvdCommand.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("demo", "--out", file.toString());
        assertEquals(1, code, err.toString());
        assertEquals("wsvd demo: cannot use --out " + file + ": it exists and is not a folder", err.toString().strip());
        assertEquals("not a folder", Files.readString(file), "the file is left as it was");
    }
}
