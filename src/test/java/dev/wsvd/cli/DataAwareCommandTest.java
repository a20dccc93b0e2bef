package dev.wsvd.cli;

import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.tensor.Npy;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wsvd compress --method data-aware} with calibration inputs from a folder of .npy files. */
class DataAwareCommandTest {
    @TempDir
    static Path dir;
    private static Path model;
    private static LabelledImages images;

    /** The latest run, whose output the assertions read. */
    private CliRun last;

    @BeforeAll
    static void copyModel() throws Exception {
        model = dir.resolve("fmnist.onnx");
        try (InputStream in = DataAwareCommandTest.class.getResourceAsStream(FashionMnist.MODEL_RESOURCE)) {
            Files.copy(in, model);
        }
        images = FashionMnist.testSlice().first(40);
    }

    private int run(String... args) {
        last = CliRun.verb("compress", args);
        return last.code();
    }

    private static Path folder(String name, float[] values) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        try (Tensor input = Tensor.ofFloats(Shape.of(40, 1, 28, 28), values)) {
            Npy.write(input, folder.resolve("input.npy"));
        }
        return folder;
    }

    @Test
    void calibratesOnNpyFilesAndReportsTheMethod() throws Exception {
        Path calibration = folder("calib", images.values());
        Path report = dir.resolve("report");
        int code = run(model.toString(), "-o", dir.resolve("small.onnx").toString(), "--ratio", "0.5", "--ignore", "/conv1/Conv",
                "--ignore", "/fc2/Gemm", "--method", "data-aware", "--calibration", calibration.toString(),
                "--calibration-samples", "32", "--eval", "accuracy", "--samples", "100", "--report", report.toString());
        assertEquals(0, code, last.err());
        assertTrue(last.out().contains("data-aware (rank-r weight with the nearest outputs), calibrated on " + calibration),
                last.out());
        assertTrue(last.out().contains("Out. error"), last.out());
        String json = Files.readString(report.resolve("report.json"));
        assertTrue(json.contains("\"method\" : \"data-aware\""), json);
        assertTrue(json.contains("\"samples\"") && json.contains("32"), json);
    }

    /**
     * {@code --refine sequential} on the CNN with conv2 and fc1 split, calibrated on 32 images: conv2 keeps its one-shot
     * split (a convolution), and so does fc1, whose inputs outnumber the calibration rows (its refit would be an
     * underdetermined least squares); notes say both, and the report and report.json that the refinement ran no pass.
     */
    @Test
    void sequentialRefinementRefitsTheLinearLayerAndSaysSo() throws Exception {
        Path calibration = folder("calib-refine", images.values());
        Path report = dir.resolve("report-refine");
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err; // progress notes go to the process's stderr
        int code;
        try {
            System.setErr(new java.io.PrintStream(progress, true, java.nio.charset.StandardCharsets.UTF_8));
            code = run(model.toString(), "-o", dir.resolve("refined.onnx").toString(), "--ratio", "0.5", "--ignore", "/conv1/Conv",
                    "--ignore", "/fc2/Gemm", "--method", "data-aware", "--calibration", calibration.toString(),
                    "--calibration-samples", "32", "--refine", "sequential", "--eval", "accuracy", "--samples", "100",
                    "--report", report.toString());
        } finally {
            System.setErr(saved);
        }
        String notes = progress.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, code, last.err());
        assertTrue(last.out().contains("refined sequentially: 0 layers (0 with their residual stream) in 0 more calibration"
                + " passes"), last.out());
        assertTrue(notes.contains("convolution(s) keep their one-shot data-aware split (/conv2/Conv)"), notes);
        assertTrue(notes.contains("keep their one-shot data-aware split: /fc1/Gemm (32 rows, "), notes);
        String json = Files.readString(report.resolve("report.json"));
        assertTrue(json.contains("\"residual_layers\" : 0") && json.contains("\"passes\" : 0"), json);

        assertEquals(2, run(model.toString(), "-o", dir.resolve("never.onnx").toString(), "--ratio", "0.5", "--refine", "sequential"));
        assertTrue(last.err().contains("--refine sequential refits data-aware splits: add --method data-aware"), last.err());
    }

    @Test
    void badCalibrationFilesExitWithOneNamingTheFile() throws Exception {
        float[] nan = images.values().clone();
        nan[784 * 3] = Float.NaN;
        Path withNan = folder("nan", nan);
        String o = dir.resolve("never.onnx").toString();
        assertEquals(1, run(model.toString(), "-o", o, "--ratio", "0.5", "--method", "data-aware", "--calibration", withNan.toString()));
        assertTrue(last.err().contains(withNan.resolve("input.npy") + " holds NaN at sample 3"), last.err());

        Path extra = folder("extra", images.values());
        writeInt64(extra.resolve("attention_mask.npy"), new long[] {1, 1, 0, 1}, 2, 2);
        assertEquals(1, run(model.toString(), "-o", o, "--ratio", "0.5", "--method", "data-aware", "--calibration", extra.toString()));
        assertTrue(last.err().contains("disagree on the number of samples"), last.err());

        Path missing = dir.resolve("no-such-folder");
        assertEquals(1, run(model.toString(), "-o", o, "--ratio", "0.5", "--method", "data-aware", "--calibration", missing.toString()));
        assertTrue(last.err().contains(missing + " does not exist"), last.err());

        assertEquals(2, run(model.toString(), "-o", o, "--ratio", "0.5", "--calibration", withNan.toString()));
        assertTrue(last.err().contains("belong to --method data-aware"), last.err());
        assertEquals(2, run(model.toString(), "-o", o, "--ratio", "0.5", "--method", "whitened"));
        assertTrue(last.err().contains("plain or data-aware"), last.err());
        assertTrue(!Files.exists(Path.of(o)));
    }

    /** A little-endian int64 .npy file, as numpy.save writes one. */
    private static void writeInt64(Path file, long[] values, long... shape) throws Exception {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + dims.toString().replaceAll(", $", shape.length == 1 ? "," : "")
                + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer bytes = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (long v : values) {
            bytes.putLong(v);
        }
        Files.write(file, bytes.array());
    }
}
