package dev.wsvd.cli;

import dev.wsvd.selection.EvalScores;
import dev.wsvd.CompressionStats;
import dev.wsvd.report.JsonReport;
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
 * files, table) with 2 candidates (one ratio, 0.5, per layer) and 4 sentence pairs instead of 10 and 64.
 */
class DemoCommandTest {

    @Test
    void theDemoCompressesTheEmbeddedModelAndWritesEverything(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WsvdCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("demo", "--out", dir.toString(), "--candidates", "2", "--pairs", "4", "--target", "0.8");
        assertEquals(0, code, err.toString());

        assertTrue(Files.size(dir.resolve("all-minilm-l6-v2-wsvd.onnx")) > 0);
        EvalScores scores = EvalScores.load(dir.resolve("eval-scores-4-pairs.json"));
        assertEquals(36, scores.size(), "36 MatMul layers at the single candidate ratio 0.5");
        CompressionStats stats = JsonReport.read(dir.resolve("report.json"));
        assertEquals(0.8, stats.target().target());
        assertEquals(Math.abs(stats.target().achieved() - 0.8) <= 0.001, stats.target().reached());
        assertTrue(stats.compressedLayerCount() > 0);
        assertTrue(Files.exists(dir.resolve("report.html")) && Files.exists(dir.resolve("report.txt")));
        String printed = out.toString();
        assertTrue(printed.contains("auto mode") && printed.contains("/encoder/layer.0/attention/self/query/MatMul"), printed);
        assertTrue(printed.contains("Retrieval top-1 on the 4 sentence pairs"), printed);
    }
}
