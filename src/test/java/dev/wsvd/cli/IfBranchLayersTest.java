package dev.wsvd.cli;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.CompressionResult;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.ModelSource;
import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.Runtime;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convolutions inside If branches (issue 10, item 14): their sizes are measured like the main graph's (one ONNX
 * Runtime run with the branches inlined), so MACs are known and compress works in every mode; a convolution whose
 * MACs truly cannot be known (inside a Loop body) is left out with that reason and blocks nothing; inspect says
 * why a count is {@code ?}.
 */
class IfBranchLayersTest {
    /**
     * Split at ranks of at least 2 reproduce a rank-2 weight up to f32 rounding: outputs of sums of about 100
     * products, relative to the largest output.
     */
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private static CliRun wsvd(String... arguments) {
        return CliRun.of(arguments);
    }

    /**
     * A Conv weight {@code [cout, cin, k, k]} of rank 2 in the split's unfolding (Cin against Cout x kernel):
     * {@code W[o][i][..] = a0[i] b0[o][..] + a1[i] b1[o][..]}, so a split at rank 2 or more reproduces it.
     */
    private static float[] rankTwo(Random random, int cout, int cin, int k) {
        float[] a = Graphs.random(random, 2 * cin);
        float[] b = Graphs.random(random, 2 * cout * k * k);
        float[] w = new float[cout * cin * k * k];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int p = 0; p < k * k; p++) {
                    w[(o * cin + i) * k * k + p] = a[i] * b[o * k * k + p] + a[cin + i] * b[(cout + o) * k * k + p];
                }
            }
        }
        return w;
    }

    /**
     * x [N, 1, 8, 8] -> stem (Conv 1 -> 8, 3x3, Cin = 1: no split helps) -> If(cond):
     * then: then_conv (8 -> 8, 3x3) reads the stem's output, Relu; else: else_pre (1 -> 8, 3x3, Cin = 1) reads x,
     * else_conv (8 -> 8, 1x1). Both branches name their intermediate value {@code t} (sibling scopes may). Then
     * head (8 -> 4, 3x3) on the If's output. No value_info: every size inside the branches must be measured.
     */
    static byte[] ifModel() {
        Random random = new Random(14);
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addInitializer(floats("then.w", dims(8, 8, 3, 3), rankTwo(random, 8, 8, 3)))
                .addNode(node("Conv", "then_conv", in("h", "then.w"), out("t"), ints("pads", 1, 1, 1, 1)))
                .addNode(node("Relu", "then_relu", in("t"), out("then_out")))
                .addOutput(untyped("then_out", FLOAT))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addInitializer(floats("else_pre.w", dims(8, 1, 3, 3), Graphs.random(random, 72)))
                .addInitializer(floats("else.w", dims(8, 8, 1, 1), rankTwo(random, 8, 8, 1)))
                .addNode(node("Conv", "else_pre", in("x", "else_pre.w"), out("t"), ints("pads", 1, 1, 1, 1)))
                .addNode(node("Conv", "else_conv", in("t", "else.w"), out("else_out")))
                .addOutput(untyped("else_out", FLOAT))
                .build();
        return stemIfHead("if-convs", random, thenBranch, elseBranch);
    }

    /** x [N, 1, 8, 8] -> stem (1 -> 8, 3x3) -> If 'branch' on cond -> head (8 -> 4, 3x3): the frame both If models share. */
    private static byte[] stemIfHead(String name, Random random, GraphProto thenBranch, GraphProto elseBranch) {
        GraphProto main = GraphProto.newBuilder().setName(name)
                .addInput(value("x", FLOAT, "N", 1, 8, 8))
                .addInput(value("cond", BOOL))
                .addOutput(untyped("y", FLOAT))
                .addInitializer(floats("stem.w", dims(8, 1, 3, 3), Graphs.random(random, 72)))
                .addInitializer(floats("head.w", dims(4, 8, 3, 3), rankTwo(random, 4, 8, 3)))
                .addNode(node("Conv", "stem", in("x", "stem.w"), out("h"), ints("pads", 1, 1, 1, 1)))
                .addNode(node("If", "branch", in("cond"), out("z"), graph("then_branch", thenBranch), graph("else_branch", elseBranch)))
                .addNode(node("Conv", "head", in("z", "head.w"), out("y"), ints("pads", 1, 1, 1, 1)))
                .build();
        return Graphs.model(main, 13).toByteArray();
    }

    /**
     * x [1, 8, 4, 4] -> Loop 'repeat' (2 iterations; its body applies loop_conv, 8 -> 8 3x3, to the carried value,
     * whose size the body does not declare) -> after (8 -> 8, 3x3).
     */
    static byte[] loopModel() {
        Random random = new Random(15);
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(value("i", INT64))
                .addInput(value("cond_in", BOOL))
                .addInput(untyped("v_in", FLOAT))
                .addInitializer(floats("loop.w", dims(8, 8, 3, 3), rankTwo(random, 8, 8, 3)))
                .addNode(node("Conv", "loop_conv", in("v_in", "loop.w"), out("v_next"), ints("pads", 1, 1, 1, 1)))
                .addNode(node("Identity", "keep_going", in("cond_in"), out("cond_out")))
                .addOutput(untyped("cond_out", BOOL))
                .addOutput(untyped("v_next", FLOAT))
                .build();
        byte[] two = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(2).array();
        GraphProto main = GraphProto.newBuilder().setName("loop-conv")
                .addInput(value("x", FLOAT, 1, 8, 4, 4))
                .addOutput(untyped("y", FLOAT))
                .addInitializer(tensor("M", dims(), INT64, two))
                .addInitializer(floats("after.w", dims(8, 8, 3, 3), rankTwo(random, 8, 8, 3)))
                .addNode(node("Loop", "repeat", in("M", "", "x"), out("v"), graph("body", body)))
                .addNode(node("Conv", "after", in("v", "after.w"), out("y"), ints("pads", 1, 1, 1, 1)))
                .build();
        return Graphs.model(main, 13).toByteArray();
    }

    /**
     * As {@link #ifModel()}, but the then branch reshapes x to 3 x 5, which fails on its 64 elements: a branch
     * that cannot run on these inputs (the main graph runs, since the probe's condition is false).
     */
    static byte[] failingBranchModel() {
        Random random = new Random(16);
        byte[] shape = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(5).array();
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addInitializer(tensor("bad_shape", dims(2), INT64, shape))
                .addNode(node("Reshape", "bad_reshape", in("x", "bad_shape"), out("then_out")))
                .addOutput(untyped("then_out", FLOAT))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addInitializer(floats("else.w", dims(8, 8, 3, 3), rankTwo(random, 8, 8, 3)))
                .addNode(node("Conv", "else_conv", in("h", "else.w"), out("else_out"), ints("pads", 1, 1, 1, 1)))
                .addOutput(untyped("else_out", FLOAT))
                .build();
        return stemIfHead("failing-branch", random, thenBranch, elseBranch);
    }

    private Path write(String name, byte[] model) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, model);
        return file;
    }

    private static Map<String, float[]> run(Path model, boolean condition, float[] x) throws Exception {
        return Runtime.run(model, Map.of("x", Runtime.Feed.floats(x, 1, 1, 8, 8), "cond", Runtime.Feed.bool(condition)));
    }

    @Test
    void theBranchConvolutionsHaveTheirSizesMeasured() throws Exception {
        try (OnnxModel model = OnnxModel.read(ifModel())) {
            Map<String, OnnxLayer> layers = model.layers(InputShapes.parse(List.of("x=1x1x8x8"))).stream()
                    .collect(Collectors.toMap(OnnxLayer::name, layer -> layer));
            assertEquals(List.of("stem", "head", "then_conv", "else_pre", "else_conv"), model.layers().stream().map(OnnxLayer::name).toList());
            for (OnnxLayer layer : layers.values()) {
                assertTrue(layer.macsKnown(), layer.name());
                assertTrue(layer.macsUnknownReason().isEmpty(), layer.name());
            }
            // independent arithmetic: weight elements x 8 x 8 output positions (every Conv keeps the 8 x 8 size)
            assertEquals("then_branch of If 'branch'", layers.get("then_conv").graph());
            assertEquals(8L * 8 * 9 * 64, dev.wsvd.layer.LayerCost.of(layers.get("then_conv").geometry().orElseThrow()).originalMacs());
            assertEquals(8L * 8 * 64, dev.wsvd.layer.LayerCost.of(layers.get("else_conv").geometry().orElseThrow()).originalMacs());
            assertEquals(8L * 9 * 64, dev.wsvd.layer.LayerCost.of(layers.get("else_pre").geometry().orElseThrow()).originalMacs());
        }
    }

    @Test
    void compressSplitsTheBranchConvolutionsAndKeepsTheOutputs() throws Exception {
        Path model = write("if.onnx", ifModel());
        Path output = dir.resolve("if-svd.onnx");
        CliRun run = wsvd("compress", model.toString(), "-o", output.toString(), "--ratio", "0.5", "--input-shape", "x=1x1x8x8");
        assertEquals(0, run.code(), run.err());
        try (OnnxModel compressed = OnnxModel.read(output)) {
            // main graph first, then the branches
            assertEquals(List.of("stem", "head.0", "head.1", "then_conv.0", "then_conv.1", "else_pre", "else_conv.0", "else_conv.1"),
                    compressed.layers().stream().map(OnnxLayer::name).toList());
        }
        // the weights are of rank 2 and ratio 0.5 gives ranks 3, 2 and 3: the compressed model computes what the original does
        float[] x = Graphs.random(new Random(7), 64);
        for (boolean condition : new boolean[] {true, false}) {
            float[] expected = run(model, condition, x).get("y");
            float[] actual = run(output, condition, x).get("y");
            double error = Runtime.relativeError(actual, expected);
            assertTrue(error < TOLERANCE, "branch " + condition + ": relative error " + error);
        }
    }

    @Test
    void everyModeWorks() throws Exception {
        Path model = write("if.onnx", ifModel());
        List<List<String>> modes = List.of(
                List.of("--ratio", "0.5", "--metric", "memory"),
                List.of("--ratio", "0.5", "--ignore", "else_pre"),
                List.of("--ratio", "0.5", "--ignore", "then_conv", "--input-shape", "x=1x1x8x8"),
                List.of("--layer", "else_conv=0.5"));
        int i = 0;
        for (List<String> mode : modes) {
            Path output = dir.resolve("out" + i++ + ".onnx");
            String[] arguments = new String[mode.size() + 4];
            arguments[0] = "compress";
            arguments[1] = model.toString();
            arguments[2] = "-o";
            arguments[3] = output.toString();
            for (int a = 0; a < mode.size(); a++) {
                arguments[4 + a] = mode.get(a);
            }
            CliRun run = wsvd(arguments);
            assertEquals(0, run.code(), mode + ": " + run.err());
            assertTrue(Files.exists(output), mode.toString());
            assertFalse(run.err().contains("not known"), mode + ": " + run.err());
        }
    }

    @Test
    void theLibraryReportsTheBranchLayersWithTheirMacs() throws Exception {
        try (CompressionResult result = WeightSvdCompressor.builder().ratio(0.5).inputShape("x", 1, 1, 8, 8).build()
                .compress(ModelSource.of(ifModel()))) {
            Map<String, LayerStats> rows = result.stats().layers().stream().collect(Collectors.toMap(LayerStats::name, row -> row));
            assertEquals(8L * 8 * 9 * 64, rows.get("then_conv").macsBefore());
            assertEquals(3, ((LayerOutcome.Compressed) rows.get("then_conv").outcome()).rank());
            assertEquals(2, ((LayerOutcome.Compressed) rows.get("else_conv").outcome()).rank());
            assertEquals(3, ((LayerOutcome.Compressed) rows.get("head").outcome()).rank());
            assertInstanceOf(LayerOutcome.Kept.class, rows.get("else_pre").outcome(), "Cin = 1: no rank is cheaper");
        }
    }

    /** The notes a library run gives its progress listener (the command line prints them to the standard error). */
    private static List<String> notes(byte[] model, dev.wsvd.CostMetric metric) throws Exception {
        List<String> notes = new java.util.ArrayList<>();
        dev.wsvd.ProgressListener listener = new dev.wsvd.ProgressListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        WeightSvdCompressor.builder().ratio(0.5).metric(metric).progress(listener).build().compress(ModelSource.of(model)).close();
        return notes;
    }

    @Test
    void aLayerWhoseMacsCannotBeKnownIsLeftOutWithTheReasonAndBlocksNothing() throws Exception {
        Path model = write("loop.onnx", loopModel());
        for (dev.wsvd.CostMetric metric : dev.wsvd.CostMetric.values()) {
            assertTrue(notes(loopModel(), metric).contains("layer loop_conv (Conv, in body of Loop 'repeat') is not counted or"
                    + " split: MACs unknown: it is inside the body of Loop 'repeat', whose value sizes exist only while it runs"
                    + " (wsvd measures the main graph and If branches only)"), metric.toString());
            Path output = dir.resolve("loop-" + metric + ".onnx");
            CliRun run = wsvd("compress", model.toString(), "-o", output.toString(), "--ratio", "0.5", "--metric",
                    metric.name().toLowerCase(java.util.Locale.ROOT));
            assertEquals(0, run.code(), metric + ": " + run.err());
            try (OnnxModel compressed = OnnxModel.read(output)) {
                assertEquals(List.of("after.0", "after.1", "loop_conv"), compressed.layers().stream().map(OnnxLayer::name).toList());
            }
        }
        // ignoring it, or naming it in a rule, is not an error either
        assertEquals(0, wsvd("compress", model.toString(), "-o", dir.resolve("i.onnx").toString(), "--ratio", "0.5",
                "--ignore", "loop_conv").code());
        assertEquals(0, wsvd("compress", model.toString(), "-o", dir.resolve("l.onnx").toString(), "--layer", "loop_conv=0.5",
                "--layer", "after=0.5").code());
    }

    @Test
    void aModelWhoseOnlyLayerHasUnknownMacsSaysSo() throws Exception {
        Path model = write("loop.onnx", loopModel());
        CliRun run = wsvd("compress", model.toString(), "-o", dir.resolve("x.onnx").toString(), "--ratio", "0.5", "--ignore", "after");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("loop_conv (MACs unknown: it is inside the body of Loop 'repeat'"), run.err());
    }

    @Test
    void aBranchThatCannotRunOnTheProbeInputsLeavesOnlyItsLayersUnknown() throws Exception {
        Path model = write("failing.onnx", failingBranchModel());
        Path output = dir.resolve("failing-svd.onnx");
        CliRun run = wsvd("compress", model.toString(), "-o", output.toString(), "--ratio", "0.5");
        assertEquals(0, run.code(), run.err());
        List<String> notes = notes(failingBranchModel(), dev.wsvd.CostMetric.MAC);
        assertTrue(notes.stream().anyMatch(note -> note.startsWith("layer else_conv (Conv, in else_branch of If 'branch') is not"
                + " counted or split: MACs unknown: its sizes could not be measured: ") && note.contains("bad_reshape")), notes.toString());
        try (OnnxModel compressed = OnnxModel.read(output)) {
            assertEquals(List.of("stem", "head.0", "head.1", "else_conv"), compressed.layers().stream().map(OnnxLayer::name).toList());
        }
    }

    @Test
    void inspectShowsTheBranchMacsAndSaysWhyACountIsUnknown() throws Exception {
        CliRun branches = wsvd("inspect", write("if.onnx", ifModel()).toString(), "--input-shape", "x=1x1x8x8");
        assertEquals(0, branches.code(), branches.err());
        assertTrue(branches.out().contains("36,864"), "then_conv: 576 weights x 64 positions\n" + branches.out());
        assertFalse(branches.out().contains("?"), branches.out());

        CliRun loop = wsvd("inspect", write("loop.onnx", loopModel()).toString());
        assertEquals(0, loop.code(), loop.err());
        assertTrue(loop.out().contains("loop.onnx: 2 weight layers, 1 can be split"), loop.out());
        assertTrue(loop.out().contains("not compressible: MACs unknown: it is inside the body of Loop 'repeat', whose value sizes"
                + " exist only while it runs"), loop.out());
        CliRun json = wsvd("inspect", dir.resolve("loop.onnx").toString(), "--json");
        assertTrue(json.out().contains("\"macs_unknown\" : \"it is inside the body of Loop 'repeat'"), json.out());
    }
}
