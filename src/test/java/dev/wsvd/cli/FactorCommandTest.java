package dev.wsvd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsvd.layer.TestMatrices;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Npy;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wsvd factor} end to end through picocli: files in, files out, what it prints, and its error
 * messages. Truth is computed here: the truncation of a matrix built from known singular vectors and values,
 * and products of the written factors by plain loops.
 */
class FactorCommandTest {
    @TempDir
    Path dir;

    private CliRun factor(String... args) {
        return CliRun.verb("factor", args);
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    /** A 12 x 9 matrix with singular values 1, 0.8, ..., 0.8^8 and random singular vectors, as f64. */
    private static final double[] SIGMA = TestMatrices.geometricSpectrum(9);

    private double[] writeKnownMatrix(String name) throws Exception {
        TestMatrices known = TestMatrices.withSpectrum(12, 9, SIGMA, new Random(21));
        double[] w = known.full();
        try (Tensor tensor = Tensor.ofDoubles(Shape.of(12, 9), w)) {
            Npy.write(tensor, dir.resolve(name));
        }
        // remember the truncation at rank 4 for the checks
        truncated4 = known.truncated(4);
        return w;
    }

    private double[] truncated4;

    @Test
    void linearFactorsMultiplyToTheTruncatedMatrixAndReportTheError() throws Exception {
        writeKnownMatrix("w.npy");
        CliRun run = factor(path("w.npy"), "--rank", "4", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(0, run.code(), run.err());
        try (Tensor a = Npy.read(dir.resolve("a.npy")); Tensor b = Npy.read(dir.resolve("b.npy"))) {
            assertArrayEquals(new long[] {4, 9}, a.shape().toArray());
            assertArrayEquals(new long[] {12, 4}, b.shape().toArray());
            double[] ba = new double[12 * 9];
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 9; j++) {
                    for (int t = 0; t < 4; t++) {
                        ba[i * 9 + j] += b.get(i, t) * a.get(t, j);
                    }
                }
            }
            assertArrayEquals(truncated4, ba, 1e-12);
        }
        double dropped = 0;
        double total = 0;
        for (int i = 0; i < SIGMA.length; i++) {
            total += SIGMA[i] * SIGMA[i];
            dropped += i >= 4 ? SIGMA[i] * SIGMA[i] : 0;
        }
        assertTrue(run.out().contains("rank: 4 of 9"), run.out());
        assertEquals(Math.sqrt(dropped / total), printedNumber(run.out(), "\\|\\|W - B·A\\|\\| / \\|\\|W\\|\\|: "), 1e-5);
        assertEquals(Math.sqrt(dropped / total), printedNumber(run.out(), "from the singular values: "), 1e-5);
        assertTrue(run.out().contains("params: 108 -> 84"), run.out()); // 12*9 -> 4*(12+9)
        assertTrue(run.out().contains("SVD time: "), run.out());
    }

    @Test
    void energyPicksTheSmallestRankKeepingTheFraction() throws Exception {
        writeKnownMatrix("w.npy");
        double total = 0;
        for (double s : SIGMA) {
            total += s * s;
        }
        int expected = 0;
        double kept = 0;
        while (kept < 0.9 * total) {
            kept += SIGMA[expected] * SIGMA[expected];
            expected++;
        }
        CliRun run = factor(path("w.npy"), "--energy", "0.9", "--a", path("a.npy"), "--b", path("b.npy"), "--balanced");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("rank: " + expected + " of 9"), run.out());
    }

    @Test
    void convWeightsAreWrittenInTheReferenceLayoutsAndReproduceTheLayerAtFullRank() throws Exception {
        Random random = new Random(22);
        double[] w = random.doubles(8 * 6 * 3 * 3, -1, 1).toArray();
        try (Tensor f64 = Tensor.ofDoubles(Shape.of(8, 6, 3, 3), w); Tensor f32 = f64.to(DType.F32)) {
            Npy.write(f32, dir.resolve("conv.npy"));
        }
        CliRun run = factor(path("conv.npy"), "--kind", "conv", "--rank", "6", "--stride", "2", "--padding", "1", "--input", "9x9",
                "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(0, run.code(), run.err());
        try (Tensor a = Npy.read(dir.resolve("a.npy")); Tensor b = Npy.read(dir.resolve("b.npy"))) {
            assertEquals(DType.F32, a.dtype());
            assertArrayEquals(new long[] {6, 6, 1, 1}, a.shape().toArray());
            assertArrayEquals(new long[] {8, 6, 3, 3}, b.shape().toArray());
            // full rank: sum_j B[o, j, t] A[j, c] = W[o, c, t]
            double worst = 0;
            for (int o = 0; o < 8; o++) {
                for (int c = 0; c < 6; c++) {
                    for (int t = 0; t < 9; t++) {
                        double sum = 0;
                        for (int j = 0; j < 6; j++) {
                            sum += b.getDouble((o * 6 + j) * 9 + t) * a.getDouble(j * 6 + c);
                        }
                        worst = Math.max(worst, Math.abs(sum - w[(o * 6 + c) * 9 + t]));
                    }
                }
            }
            assertTrue(worst < 1e-5, "largest element error " + worst);
        }
        // MACs: 5x5 output; original 8*6*9*25, pair 6*(6*4 + 8*9)*25
        assertTrue(run.out().contains("MACs: " + 8 * 6 * 9 * 25 + " -> " + 6 * (6 * 4 + 8 * 9) * 25), run.out());
        assertTrue(run.err().contains("not smaller"), "a full-rank split is flagged: " + run.err());
    }

    @Test
    void ratioFollowsTheReferenceExampleAndWritesTheProfile() throws Exception {
        Random random = new Random(23);
        try (Tensor w = Tensor.ofDoubles(Shape.of(64, 32, 5, 5), random.doubles(64 * 32 * 25, -1, 1).toArray())) {
            Npy.write(w, dir.resolve("conv2.npy"));
        }
        CliRun run = factor(path("conv2.npy"), "--kind", "conv", "--input", "28x28", "--ratio", "0.5", "--multiplicity", "8",
                "--a", path("a.npy"), "--b", path("b.npy"), "--profile", path("profile.json"));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("rank: 16 of 32"), run.out());
        assertTrue(run.out().contains("rounded up from 15"), run.out());
        JsonNode profile = new ObjectMapper().readTree(dir.resolve("profile.json").toFile());
        // report.json's spelling of an error profile, plus the ranks and the original cost under report.json's names
        List<String> fields = new ArrayList<>();
        profile.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("format", "format_version", "layer", "ranks", "relative_error", "params", "macs", "params_before",
                "macs_before", "output_error"), fields);
        assertEquals("wsvd-error-profile", profile.get("format").asText());
        assertEquals(32, profile.get("ranks").size());
        assertEquals(32, profile.get("relative_error").size());
        assertEquals(64L * 32 * 25 * 24 * 24, profile.get("macs_before").asLong());
        assertEquals(0.0, profile.get("relative_error").get(31).asDouble(), 1e-6);
        assertEquals(16L * (32 + 64 * 25) * 24 * 24, profile.get("macs").get(15).asLong()); // rank 16
    }

    @Test
    void missingFileIsNamed() {
        CliRun run = factor(path("absent.npy"), "--rank", "2", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(1, run.code());
        assertTrue(run.err().contains("absent.npy") && run.err().contains("no such file"), run.err());
    }

    @Test
    void outputsInAMissingFolderAreRefusedBeforeAnythingIsWritten() throws Exception {
        writeKnownMatrix("w.npy");
        Path nowhere = dir.resolve("no-such-folder");
        for (String[] outputs : new String[][] {
                {"--a", nowhere.resolve("a.npy").toString(), "--b", path("b.npy")},
                {"--a", path("a.npy"), "--b", path("b.npy"), "--profile", nowhere.resolve("p.json").toString()}}) {
            String[] args = new String[outputs.length + 3];
            args[0] = path("w.npy");
            args[1] = "--rank";
            args[2] = "2";
            System.arraycopy(outputs, 0, args, 3, outputs.length);
            CliRun run = factor(args);
            assertEquals(1, run.code());
            assertEquals("wsvd factor: cannot write " + nowhere.resolve(outputs[outputs.length - 1].endsWith("p.json") ? "p.json" : "a.npy")
                    + ": the folder " + nowhere + " does not exist", run.err().strip());
            assertEquals("", run.out(), "refused before the weight is read or decomposed");
            assertFalse(Files.exists(dir.resolve("a.npy")) || Files.exists(dir.resolve("b.npy")), "no factor written alone");
        }
        CliRun folderAsOutput = factor(path("w.npy"), "--rank", "2", "--a", dir.toString(), "--b", path("b.npy"));
        assertEquals(1, folderAsOutput.code());
        assertTrue(folderAsOutput.err().contains(dir + ": it is a folder"), folderAsOutput.err());
    }

    @Test
    void emptyMatrixIsRefusedNamingTheFile() throws Exception {
        try (Tensor w = Tensor.allocate(DType.F32, Shape.of(0, 3))) {
            Npy.write(w, dir.resolve("empty.npy"));
        }
        CliRun run = factor(path("empty.npy"), "--rank", "1", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("wsvd factor: " + path("empty.npy") + " has shape 0x3: "), run.err());
    }

    @Test
    void rankOutOfRangeSaysTheValidRange() throws Exception {
        writeKnownMatrix("w.npy");
        CliRun run = factor(path("w.npy"), "--rank", "10", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(2, run.code(), "a usage error, as the other verbs report one");
        assertTrue(run.err().contains("valid ranks are 1..9"), run.err());
        assertTrue(run.err().strip().endsWith("Try 'wsvd factor --help' for the options."), run.err());
        assertFalse(Files.exists(dir.resolve("a.npy")));
    }

    @Test
    void nanWeightsNameTheElement() throws Exception {
        try (Tensor w = Tensor.ofFloats(Shape.of(3, 4), 1, 2, 3, 4, 5, 6, Float.NaN, 8, 9, 10, 11, 12)) {
            Npy.write(w, dir.resolve("nan.npy"));
        }
        CliRun run = factor(path("nan.npy"), "--rank", "2", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(1, run.code());
        assertTrue(run.err().contains("nan.npy") && run.err().contains("[1, 2]") && run.err().contains("NaN"), run.err());
    }

    @Test
    void linearNeedsAMatrix() throws Exception {
        try (Tensor w = Tensor.allocate(DType.F32, Shape.of(4, 3, 3, 3))) {
            Npy.write(w, dir.resolve("conv.npy"));
        }
        CliRun run = factor(path("conv.npy"), "--rank", "2", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(2, run.code(), "the fix is another --kind: a usage error");
        assertTrue(run.err().contains("4x3x3x3") && run.err().contains("--kind conv"), run.err());
    }

    @Test
    void everyOptionIsCheckedBeforeTheSvdAndAUsageErrorExitsWithTwo() throws Exception {
        writeKnownMatrix("w.npy");
        String[][] usageErrors = {
                {"--energy", "1.5"},
                {"--ratio", "-0.1"},
                {"--ratio", "0.5", "--multiplicity", "0"},
                {"--rank", "2", "--groups", "0"},
                {"--rank", "2", "--stride", "2"},
                {"--rank", "0"},
                {"--rank", "4", "--kind", "CONV"}};
        for (String[] options : usageErrors) {
            String[] args = new String[options.length + 5];
            args[0] = path("w.npy");
            System.arraycopy(options, 0, args, 1, options.length);
            System.arraycopy(new String[] {"--a", path("a.npy"), "--b", path("b.npy")}, 0, args, options.length + 1, 4);
            CliRun run = factor(args);
            assertEquals(2, run.code(), String.join(" ", options) + ": " + run.err());
            assertFalse(run.out().contains("SVD time"), "refused before the SVD: " + run.out());
            assertTrue(run.err().strip().endsWith("Try 'wsvd factor --help' for the options."), run.err());
            assertFalse(Files.exists(dir.resolve("a.npy")));
        }
        CliRun badRangeMissingFile = factor(path("absent.npy"), "--energy", "2", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(2, badRangeMissingFile.code(), "option values are checked before any file: " + badRangeMissingFile.err());
        CliRun enumsInAnyCase = factor(path("w.npy"), "--kind", "Linear", "--ratio", "0.5", "--metric", "MEMORY",
                "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(0, enumsInAnyCase.code(), enumsInAnyCase.err());
    }

    @Test
    void theInputIsNeverOverwritten() throws Exception {
        writeKnownMatrix("w.npy");
        byte[] before = Files.readAllBytes(dir.resolve("w.npy"));
        CliRun run = factor(path("w.npy"), "--rank", "2", "--a", path("w.npy"), "--b", path("b.npy"));
        assertEquals(1, run.code());
        assertTrue(run.err().contains("is the input file"), run.err());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("w.npy")));
        assertFalse(Files.exists(dir.resolve("b.npy")));
    }

    /** The activations or Gram file is an input too: naming it as a factor output once destroyed it, exit 0. */
    @Test
    void theDataFilesAreNeverOverwrittenEither() throws Exception {
        Random random = new Random(9);
        double[] w = new double[4 * 6];
        double[] x = new double[20 * 6];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        try (Tensor weight = Tensor.ofDoubles(Shape.of(4, 6), w); Tensor activations = Tensor.ofDoubles(Shape.of(20, 6), x)) {
            Npy.write(weight, dir.resolve("w.npy"));
            Npy.write(activations, dir.resolve("x.npy"));
        }
        byte[] before = Files.readAllBytes(dir.resolve("x.npy"));
        for (String option : new String[] {"--activations", "--gram"}) {
            if (option.equals("--gram")) {
                Files.copy(dir.resolve("x.npy"), dir.resolve("g.npy")); // never read: the path check comes first
            }
            String data = path(option.equals("--gram") ? "g.npy" : "x.npy");
            CliRun run = factor(path("w.npy"), "--rank", "2", option, data, "--a", data, "--b", path("b.npy"));
            assertEquals(1, run.code(), run.err());
            assertTrue(run.err().contains(data + " is the " + option + " file; write the factors elsewhere"), run.err());
            assertArrayEquals(before, Files.readAllBytes(Path.of(data)));
            assertFalse(Files.exists(dir.resolve("b.npy")));
        }
    }

    @Test
    void depthwiseConvolutionsAreRefusedWithTheReason() throws Exception {
        try (Tensor w = Tensor.ofFloats(Shape.of(4, 1, 3, 3), new float[36])) {
            Npy.write(w, dir.resolve("dw.npy"));
        }
        CliRun run = factor(path("dw.npy"), "--kind", "conv", "--groups", "4", "--rank", "4", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(1, run.code());
        assertTrue(run.err().contains("depthwise"), run.err());
    }

    private static double printedNumber(String output, String label) {
        Matcher matcher = Pattern.compile(label + "([0-9.eE+-]+)").matcher(output);
        assertTrue(matcher.find(), "no '" + label + "' in " + output);
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * {@code --activations}: the factors' product, applied to the activations, is compared with W applied to them,
     * computed here in double loops: the printed output error must be that ratio, and below the plain split's.
     */
    @Test
    void activationsGiveTheDataAwareSplitWhoseOutputErrorIsPrinted() throws Exception {
        Random random = new Random(5);
        int out = 8;
        int in = 12;
        int rows = 60;
        double[] w = new double[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        double[] x = new double[rows * in];
        for (int r = 0; r < rows; r++) {
            double common = random.nextGaussian();
            for (int c = 0; c < in; c++) {
                x[r * in + c] = (c < 4 ? 3 * common : 0) + 0.3 * random.nextGaussian(); // inputs with a dominant direction
            }
        }
        try (Tensor weight = Tensor.ofDoubles(Shape.of(out, in), w); Tensor activations = Tensor.ofDoubles(Shape.of(rows, in), x)) {
            Npy.write(weight, dir.resolve("w.npy"));
            Npy.write(activations, dir.resolve("x.npy"));
        }
        CliRun aware = factor(path("w.npy"), "--rank", "3", "--activations", path("x.npy"), "--a", path("a.npy"), "--b", path("b.npy"),
                "--profile", path("p.json"));
        assertEquals(0, aware.code(), aware.err());
        double awareError = outputError(w, x, out, in, rows);
        Matcher printed = Pattern.compile("relative output error .*: ([0-9.e-]+)").matcher(aware.out());
        assertTrue(printed.find(), aware.out());
        assertEquals(awareError, Double.parseDouble(printed.group(1)), 1e-5, aware.out());
        JsonNode profile = new ObjectMapper().readTree(dir.resolve("p.json").toFile());
        assertEquals(awareError, profile.get("output_error").get(2).asDouble(), 1e-6);

        CliRun plain = factor(path("w.npy"), "--rank", "3", "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(0, plain.code(), plain.err());
        double plainError = outputError(w, x, out, in, rows);
        assertTrue(awareError < plainError, "data-aware " + awareError + " vs plain " + plainError);

        CliRun wrongShape = factor(path("w.npy"), "--rank", "3", "--gram", path("x.npy"), "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(2, wrongShape.code(), wrongShape.err());
        assertTrue(wrongShape.err().contains("has shape 60x12; the weight's Gram is 12 x 12"), wrongShape.err());
        CliRun both = factor(path("w.npy"), "--rank", "3", "--gram", path("x.npy"), "--activations", path("x.npy"), "--a", path("a.npy"),
                "--b", path("b.npy"));
        assertEquals(2, both.code(), both.err());
        try (Tensor activations = Tensor.ofDoubles(Shape.of(rows, in), x); Tensor xt = activations.transpose()) {
            Npy.write(xt, dir.resolve("xt.npy"));
        }
        CliRun transposed = factor(path("w.npy"), "--rank", "3", "--activations", path("xt.npy"), "--a", path("a.npy"), "--b", path("b.npy"));
        assertEquals(2, transposed.code(), transposed.err());
        assertTrue(transposed.err().contains("it needs rows x 12"), transposed.err());
    }

    /** {@code ||(W - B·A)·Xᵀ|| / ||W·Xᵀ||} with A, B read back from a.npy and b.npy. */
    private double outputError(double[] w, double[] x, int out, int in, int rows) throws Exception {
        try (Tensor a = Npy.read(dir.resolve("a.npy")); Tensor b = Npy.read(dir.resolve("b.npy"))) {
            int rank = (int) a.shape().dim(0);
            double error = 0;
            double total = 0;
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double exact = 0;
                    double approx = 0;
                    for (int c = 0; c < in; c++) {
                        double product = 0;
                        for (int k = 0; k < rank; k++) {
                            product += b.getDouble((long) o * rank + k) * a.getDouble((long) k * in + c);
                        }
                        exact += w[o * in + c] * x[r * in + c];
                        approx += product * x[r * in + c];
                    }
                    error += (exact - approx) * (exact - approx);
                    total += exact * exact;
                }
            }
            return Math.sqrt(error / total);
        }
    }
}
