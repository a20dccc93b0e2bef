package dev.wsvd.cli;

import dev.wsvd.eval.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressCommandTest {
    @TempDir
    static Path dir;
    private static Path model;

    /** The latest run, whose output the assertions read. */
    private CliRun last;

    @BeforeAll
    static void copyModel() throws Exception {
        model = dir.resolve("fmnist.onnx");
        try (InputStream in = CompressCommandTest.class.getResourceAsStream(FashionMnist.MODEL_RESOURCE)) {
            Files.copy(in, model);
        }
    }

    /** Runs {@code wsvd compress ARGS}; the captured output is this run's alone. */
    private int run(String... args) {
        last = CliRun.verb("compress", args);
        return last.code();
    }

    private void assertUsage(String expected, String... args) {
        assertEquals(2, run(args), last.err());
        assertTrue(last.err().contains(expected), last.err());
        assertFalse(Files.exists(dir.resolve("never.onnx")));
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatToDo() {
        String m = model.toString();
        String o = dir.resolve("never.onnx").toString();
        assertUsage("choose a mode", m, "-o", o);
        assertUsage("not both", m, "-o", o, "--ratio", "0.5", "--auto", "--target", "0.5", "--eval", "accuracy");
        assertUsage("--auto needs --target", m, "-o", o, "--auto", "--eval", "accuracy");
        assertUsage("give --eval accuracy or --eval embedding", m, "-o", o, "--auto", "--target", "0.8");
        assertUsage("give --eval accuracy or --eval embedding", m, "-o", o, "--auto", "--target", "0.8", "--eval", "none");
        assertUsage("belong to --auto", m, "-o", o, "--ratio", "0.5", "--target", "0.8");
        assertUsage("must be in (0, 1]", m, "-o", o, "--ratio", "1.5");
        assertUsage("is not NAME=R", m, "-o", o, "--layer", "/conv2/Conv");
        assertUsage("--images and --labels go together", m, "-o", o, "--ratio", "0.5", "--eval", "accuracy", "--images", m);
        assertUsage("belong to --eval embedding", m, "-o", o, "--ratio", "0.5", "--pairs", "8");
        assertUsage("input shape", m, "-o", o, "--ratio", "0.5", "--input-shape", "input");
        assertUsage("give --tokenizer PATH", m, "-o", o, "--ratio", "0.5", "--eval", "embedding");
        assertUsage("belong to --auto", m, "-o", o, "--ratio", "0.5", "--select", "spectrum");
        assertUsage("belong to --select greedy", m, "-o", o, "--auto", "--target", "0.5", "--eval", "accuracy", "--select",
                "spectrum", "--monotonic");
        assertUsage("--held-out must be 0 (none) or at least 2", m, "-o", o, "--ratio", "0.5", "--eval", "accuracy",
                "--held-out", "1");
    }

    /**
     * Spectrum against greedy on the bundled CNN, 200 search images, 500 held-out: the spectrum run evaluates each of
     * the three candidate layers once (greedy: 3 x 9), lands within 0.001 below the target, and reports held-out scores.
     */
    @Test
    void spectrumSelectionHitsTheTargetWithOneEvaluationPerLayer() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int[] evaluations = new int[2];
        int negligible = 0;
        String[] modes = {"spectrum", "greedy"};
        for (int i = 0; i < 2; i++) {
            Path report = dir.resolve("report-" + modes[i]);
            int code = run(model.toString(), "-o", dir.resolve(modes[i] + ".onnx").toString(), "--auto", "--select", modes[i],
                    "--target", "0.5", "--ignore", "/conv1/Conv", "--eval", "accuracy", "--samples", "200", "--held-out", "500",
                    "--report", report.toString());
            assertEquals(0, code, last.err());
            JsonNode root = json.readTree(report.resolve("report.json").toFile());
            evaluations[i] = root.get("selection").get("evaluations").intValue();
            assertEquals(modes[i], root.get("selection").get("mode").textValue());
            assertFalse(root.get("score_sets").get("shared").booleanValue());
            assertTrue(root.get("score_sets").get("reported").textValue().startsWith("500 "), root.toString());
            assertTrue(last.out().contains("Scored on          held-out 500 Fashion-MNIST test images (1000-1499)"),
                    last.out());
            if (i == 0) {
                double achieved = root.get("cost").get("mac_ratio").doubleValue();
                assertTrue(achieved <= 0.5 && 0.5 - achieved <= 0.001, "MAC ratio " + achieved);
                assertTrue(root.get("target").get("reached").booleanValue());
                assertTrue(root.get("target").get("score_threshold").isNull());
                JsonNode drops = root.get("selection").get("probe_drops");
                assertEquals(3, drops.size());
                double searchBaseline = root.get("selection").get("search_baseline").doubleValue();
                for (JsonNode drop : drops) {
                    negligible += drop.doubleValue() < 1e-4 * searchBaseline ? 1 : 0;
                }
            }
        }
        // one probe per layer, and a second, deeper one for each layer whose first probe lost nothing
        assertEquals(3 + negligible, evaluations[0]);
        assertEquals(27, evaluations[1]);
    }

    @Test
    void runtimeFailuresExitWithOneAndNameTheFileOrLayer() {
        Path missing = dir.resolve("missing.onnx");
        assertEquals(1, run(missing.toString(), "-o", dir.resolve("x.onnx").toString(), "--ratio", "0.5"));
        assertTrue(last.err().contains(missing.toString()), last.err());
        assertEquals(1, run(model.toString(), "-o", dir.resolve("x.onnx").toString(), "--layer", "/conv9/Conv=0.5"));
        assertTrue(last.err().contains("/conv9/Conv") && last.err().contains("/conv2/Conv"), last.err());
        assertEquals(1, run(model.toString(), "-o", model.toString(), "--ratio", "0.5"));
        assertTrue(last.err().contains("is the input file"), last.err());
    }

    /** The scores file is rewritten after every evaluation: as the output it was lost, as the input misread. */
    @Test
    void theScoresFileIsNeitherTheModelNorTheOutput() throws Exception {
        Path output = dir.resolve("small.onnx");
        byte[] original = Files.readAllBytes(model);
        assertEquals(1, run(model.toString(), "-o", output.toString(), "--auto", "--target", "0.8", "--eval", "accuracy",
                "--scores", output.toString()));
        assertTrue(last.err().contains("--scores " + output + " is the output model too"), last.err());
        assertEquals(1, run(model.toString(), "-o", output.toString(), "--auto", "--target", "0.8", "--eval", "accuracy",
                "--scores", model.toString()));
        assertTrue(last.err().contains("--scores " + model + " is the input model"), last.err());
        assertFalse(Files.exists(output), "refused before any work");
        assertArrayEquals(original, Files.readAllBytes(model));
    }

    @Test
    void manualRunWritesTheModelAndTheReportAndPrintsTheTable() throws Exception {
        Path output = Files.createDirectories(dir.resolve("out")).resolve("small.onnx"); // as factor, compress writes into an existing folder
        Path report = dir.resolve("report");
        int code = run(model.toString(), "-o", output.toString(), "--layer", "/conv2/Conv=0.4", "--layer", "/fc*=0.5",
                "--multiplicity", "8", "--report", report.toString());
        assertEquals(0, code, last.err());
        assertTrue(Files.size(output) > 0);
        assertTrue(Files.exists(report.resolve("report.json")) && Files.exists(report.resolve("report.html")));
        String table = last.out();
        assertTrue(table.contains("manual mode") && table.contains("/conv2/Conv") && table.contains("16/32"), table);
        assertTrue(table.contains("wrote " + output), table);
    }

    @Test
    void latencyIsTimedAndPrintedNextToTheMacRatio() {
        Path output = dir.resolve("timed.onnx");
        // without a value: the run's --threads; with --eval none the models run on zeros of their declared shape
        assertEquals(0, run(model.toString(), "-o", output.toString(), "--ratio", "0.5", "--latency", "--threads", "1"),
                last.err());
        String table = last.out();
        assertTrue(table.contains("Latency") && table.contains(" median (") && table.contains("1 thread")
                && table.contains("one run on zeros of input=1x1x28x28"), table);
        assertTrue(table.indexOf("Latency") > table.indexOf("MAC ratio"), "next to the MAC ratio");
        assertUsage("latency threads must be at least 1", model.toString(), "-o", output.toString(), "--ratio", "0.5",
                "--latency=-1");
    }

    @Test
    void helpDocumentsEveryOption() {
        assertEquals(0, run("--help"));
        CommandLine.Model.CommandSpec spec = WsvdCommand.commandLine().getSubcommands().get("compress").getCommandSpec();
        for (OptionSpec option : spec.options()) {
            assertTrue(option.description().length > 0 && !option.description()[0].isBlank(), option.longestName());
            assertTrue(last.out().contains(option.longestName()), option.longestName());
        }
        assertTrue(last.out().contains("Exit codes"));
    }
}
