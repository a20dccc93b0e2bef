package dev.wsvd.cli;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.StringStringEntryProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of bad inputs of src/docs/hardening.md fed to each verb ({@code factor}, {@code inspect},
 * {@code compress}): every case must end with the documented exit code (2 for wrong arguments, 1 for input that
 * cannot be processed) and one line naming the problem, never a stack trace or "unexpected failure".
 */
class BadInputCatalogueTest {
    @TempDir
    static Path folder;

    /** One case: arguments (with {@code $dir} for the scratch folder), the exit code and a word the message must hold. */
    private record Case(String name, int exitCode, String expected, String... arguments) {
    }

    private static DynamicTest check(Case c) {
        return DynamicTest.dynamicTest(c.name(), () -> {
            String[] arguments = Arrays.stream(c.arguments()).map(a -> a.replace("$dir", folder.toString())).toArray(String[]::new);
            CliRun outcome = CliRun.of(arguments);
            String err = outcome.err();
            assertFalse(err.contains("unexpected failure") || err.contains("\tat ") || err.contains("Exception"),
                    () -> c.name() + ": a trace or exception name instead of a message:\n" + err);
            List<String> lines = err.lines().filter(l -> !l.startsWith("Try '")).toList();
            assertEquals(1, lines.size(), () -> c.name() + ": one line expected:\n" + err);
            assertTrue(lines.get(0).contains(c.expected()), () -> c.name() + ": expected '" + c.expected() + "' in: " + err);
            assertEquals(c.exitCode(), outcome.code(), () -> c.name() + ": " + err);
        });
    }

    // ---- inputs ---------------------------------------------------------------------------------------------

    private static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(folder.resolve(name), bytes);
    }

    private static byte[] npy(String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        out.write(text.length & 0xFF);
        out.write(text.length >>> 8);
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] npyFloats(long[] shape, float... values) {
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        StringBuilder tuple = new StringBuilder("(");
        for (long d : shape) {
            tuple.append(d).append(", ");
        }
        return npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + "), }\n", data.array());
    }

    private static float[] random(int n) {
        return Graphs.random(new Random(n), n);
    }

    /** A Conv (3 -> 8, 3x3, on 1x3x8x8) then a Gemm (8*36 -> 4): the valid model every model case breaks. */
    private static GraphProto.Builder validGraph() {
        return GraphProto.newBuilder().setName("g")
                .addInput(value("x", FLOAT, 1, 3, 8, 8))
                .addOutput(value("y", FLOAT, 1, 4))
                .addInitializer(floats("conv.w", dims(8, 3, 3, 3), random(8 * 27)))
                .addInitializer(floats("fc.w", dims(4, 288), random(4 * 288)))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(INT64).addDims(2).addInt64Data(1).addInt64Data(-1))
                .addNode(node("Conv", "conv", in("x", "conv.w"), out("c"), ints("kernel_shape", 3, 3)))
                .addNode(node("Reshape", "flatten", in("c", "shape"), out("f")))
                .addNode(node("Gemm", "fc", in("f", "fc.w"), out("y"), integer("transB", 1)));
    }

    private static Path model(String name, Function<GraphProto.Builder, GraphProto.Builder> change) throws Exception {
        return write(name, Graphs.model(change.apply(validGraph()).build(), 13).toByteArray());
    }

    private static GraphProto.Builder replaceNode(GraphProto.Builder graph, int index, NodeProto node) {
        return graph.setNode(index, node);
    }

    private static GraphProto.Builder replaceInitializer(GraphProto.Builder graph, int index, TensorProto tensor) {
        return graph.setInitializer(index, tensor);
    }

    /** The bad models: file name, the word the message must contain. */
    private static List<String[]> badModels() throws Exception {
        List<String[]> models = new ArrayList<>();
        Path valid = model("valid.onnx", g -> g);
        byte[] bytes = Files.readAllBytes(valid);
        write("empty.onnx", new byte[0]);
        models.add(new String[] {"empty.onnx", "empty"});
        write("text.onnx", "not a model at all\n".getBytes(StandardCharsets.US_ASCII));
        models.add(new String[] {"text.onnx", "not an ONNX model"});
        write("truncated.onnx", Arrays.copyOf(bytes, bytes.length - 7));
        models.add(new String[] {"truncated.onnx", "truncated.onnx"});
        byte[] noise = new byte[2048];
        new Random(3).nextBytes(noise);
        write("noise.onnx", noise);
        models.add(new String[] {"noise.onnx", "noise.onnx"});
        models.add(new String[] {"missing.onnx", "missing.onnx"});
        models.add(new String[] {"", "folder"});  // the scratch folder itself
        model("huge-dims.onnx", g -> replaceInitializer(g, 1, TensorProto.newBuilder().setName("fc.w").setDataType(FLOAT)
                .addDims(1L << 33).addDims(0).build()));
        models.add(new String[] {"huge-dims.onnx", "fc"});
        model("huge-dilation.onnx", g -> replaceNode(g, 0, node("Conv", "conv", in("x", "conv.w"), out("c"),
                ints("kernel_shape", 3, 3), ints("dilations", 1L << 40, 1L << 40))));
        models.add(new String[] {"huge-dilation.onnx", "conv"});
        model("nul-location.onnx", g -> replaceInitializer(g, 1, TensorProto.newBuilder().setName("fc.w").setDataType(FLOAT)
                .addDims(4).addDims(288).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("a\u0000b")).build()));
        models.add(new String[] {"nul-location.onnx", "not a valid file name"});
        model("kernel-shape.onnx", g -> replaceNode(g, 0, node("Conv", "conv", in("x", "conv.w"), out("c"), ints("kernel_shape", 5, 5))));
        models.add(new String[] {"kernel-shape.onnx", "layer conv (Conv) is inconsistent"});
        model("channels.onnx", g -> g.setInput(0, value("x", FLOAT, 1, 2, 8, 8)));
        models.add(new String[] {"channels.onnx", "layer conv (Conv) is inconsistent"});
        model("trans-b.onnx", g -> replaceNode(g, 2, node("Gemm", "fc", in("f", "fc.w"), out("y"), integer("transB", 0)))
                .addValueInfo(value("f", FLOAT, 1, 288)));
        models.add(new String[] {"trans-b.onnx", "layer fc (Gemm) is inconsistent"});
        model("cycle.onnx", g -> replaceNode(g, 1, node("Reshape", "flatten", in("y", "shape"), out("f"))));
        models.add(new String[] {"cycle.onnx", "cycle"});
        return models;
    }

    @TestFactory
    Stream<DynamicTest> inspect() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String[] model : badModels()) {
            cases.add(new Case("inspect " + model[0], 1, model[1], "inspect", "$dir/" + model[0]));
        }
        model("valid.onnx", g -> g);
        cases.add(new Case("inspect bad --input-shape", 2, "x", "inspect", "$dir/valid.onnx", "--input-shape", "x=1xax8"));
        cases.add(new Case("inspect huge --input-shape", 2, "x", "inspect", "$dir/valid.onnx", "--input-shape", "x=1x3x99999999999999999999x8"));
        cases.add(new Case("inspect unknown --input-shape", 2, "nosuch", "inspect", "$dir/valid.onnx", "--input-shape", "nosuch=1x3"));
        return cases.stream().map(BadInputCatalogueTest::check);
    }

    @TestFactory
    Stream<DynamicTest> compress() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String[] model : badModels()) {
            cases.add(new Case("compress " + model[0], 1, model[1], "compress", "$dir/" + model[0], "-o", "$dir/out.onnx",
                    "--ratio", "0.5", "--eval", "none"));
        }
        model("valid.onnx", g -> g);
        String[] manual = {"compress", "$dir/valid.onnx", "-o", "$dir/out.onnx", "--ratio", "0.5", "--eval", "none"};
        float[] nan = random(4 * 288);
        nan[17] = Float.NaN;
        model("nan-unsplit.onnx", g -> replaceInitializer(g, 1, floats("fc.w", dims(4, 288), nan)));
        cases.add(new Case("compress NaN in a layer not split", 1, "NaN at element [0, 17]", "compress", "$dir/nan-unsplit.onnx",
                "-o", "$dir/out.onnx", "--layer", "conv=0.5", "--eval", "none"));
        cases.add(new Case("compress NaN in an ignored layer", 1, "NaN", "compress", "$dir/nan-unsplit.onnx",
                "-o", "$dir/out.onnx", "--ratio", "0.5", "--ignore", "fc", "--eval", "none"));
        cases.add(new Case("compress --threads 0", 2, "threads", concat(manual, "--threads", "0")));
        cases.add(new Case("compress --threads -3", 2, "threads", concat(manual, "--threads", "-3")));
        cases.add(new Case("compress --eval-parallelism -1", 2, "parallelism", concat(manual, "--eval-parallelism", "-1")));
        cases.add(new Case("compress --ratio 2", 2, "ratio", "compress", "$dir/valid.onnx", "-o", "$dir/out.onnx", "--ratio", "2", "--eval", "none"));
        cases.add(new Case("compress --ratio NaN", 2, "ratio", "compress", "$dir/valid.onnx", "-o", "$dir/out.onnx", "--ratio", "NaN", "--eval", "none"));
        cases.add(new Case("compress --candidates 2000000000", 2, "candidates", "compress", "$dir/valid.onnx", "-o", "$dir/out.onnx",
                "--auto", "--target", "0.8", "--candidates", "2000000000", "--eval", "accuracy"));
        cases.add(new Case("compress --multiplicity 0", 2, "multiplicity", concat(manual, "--multiplicity", "0")));
        cases.add(new Case("compress huge --input-shape", 2, "x", concat(manual, "--input-shape", "x=1x3x99999999999999999999x8")));
        cases.add(new Case("compress --layer without ratio", 2, "--layer", "compress", "$dir/valid.onnx", "-o", "$dir/out.onnx", "--layer", "conv", "--eval", "none"));
        cases.add(new Case("compress -o the input", 1, "is the input file", "compress", "$dir/valid.onnx", "-o", "$dir/valid.onnx", "--ratio", "0.5", "--eval", "none"));
        cases.add(new Case("compress -o a folder", 1, "folder", "compress", "$dir/valid.onnx", "-o", "$dir", "--ratio", "0.5", "--eval", "none"));
        cases.add(new Case("compress -o in a missing folder", 1, "does not exist", "compress", "$dir/valid.onnx", "-o", "$dir/nosuch/out.onnx", "--ratio", "0.5", "--eval", "none"));
        return cases.stream().map(BadInputCatalogueTest::check);
    }

    @TestFactory
    Stream<DynamicTest> factor() throws Exception {
        List<Case> cases = new ArrayList<>();
        write("fc.npy", npyFloats(new long[] {4, 6}, random(24)));
        write("conv.npy", npyFloats(new long[] {8, 3, 3, 3}, random(8 * 27)));
        float[] nan = random(24);
        nan[5] = Float.NaN;
        write("nan.npy", npyFloats(new long[] {4, 6}, nan));
        write("deep.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + "[".repeat(30_000) + "\n", new byte[0]));
        write("short.npy", npyFloats(new long[] {4, 6}, random(5)));
        write("huge-shape.npy", npyFloats(new long[] {1L << 40, 1L << 30}));
        write("not.npy", "hello".getBytes(StandardCharsets.US_ASCII));
        write("vector.npy", npyFloats(new long[] {6}, random(6)));
        String[] out = {"--a", "$dir/a.npy", "--b", "$dir/b.npy"};
        cases.add(new Case("factor missing file", 1, "nosuch.npy", concat(new String[] {"factor", "$dir/nosuch.npy", "--rank", "2"}, out)));
        cases.add(new Case("factor a folder", 1, "folder", concat(new String[] {"factor", "$dir", "--rank", "2"}, out)));
        cases.add(new Case("factor not an npy", 1, "not.npy", concat(new String[] {"factor", "$dir/not.npy", "--rank", "2"}, out)));
        cases.add(new Case("factor deep header", 1, "nesting", concat(new String[] {"factor", "$dir/deep.npy", "--rank", "2"}, out)));
        cases.add(new Case("factor truncated data", 1, "truncated", concat(new String[] {"factor", "$dir/short.npy", "--rank", "2"}, out)));
        cases.add(new Case("factor huge shape", 1, "huge-shape.npy", concat(new String[] {"factor", "$dir/huge-shape.npy", "--rank", "2"}, out)));
        cases.add(new Case("factor NaN weight", 1, "NaN", concat(new String[] {"factor", "$dir/nan.npy", "--rank", "2"}, out)));
        cases.add(new Case("factor 1-D weight", 2, "2-D", concat(new String[] {"factor", "$dir/vector.npy", "--rank", "2"}, out)));
        cases.add(new Case("factor --rank 0", 2, "--rank", concat(new String[] {"factor", "$dir/fc.npy", "--rank", "0"}, out)));
        cases.add(new Case("factor --rank too large", 2, "--rank", concat(new String[] {"factor", "$dir/fc.npy", "--rank", "99"}, out)));
        cases.add(new Case("factor --energy 2", 2, "--energy", concat(new String[] {"factor", "$dir/fc.npy", "--energy", "2"}, out)));
        cases.add(new Case("factor --ratio -1", 2, "--ratio", concat(new String[] {"factor", "$dir/fc.npy", "--ratio", "-1"}, out)));
        cases.add(new Case("factor --rank not a number", 2, "--rank", concat(new String[] {"factor", "$dir/fc.npy", "--rank", "x"}, out)));
        String[] conv = {"factor", "$dir/conv.npy", "--kind", "conv", "--ratio", "0.5"};
        cases.add(new Case("factor --input 64-bit", 2, "--input", concat(conv, concat(new String[] {"--input", "3000000000x3000000000"}, out))));
        cases.add(new Case("factor --input too large for a long", 2, "--input", concat(conv, concat(new String[] {"--input", "99999999999999999999x8"}, out))));
        cases.add(new Case("factor --input 0", 2, "--input", concat(conv, concat(new String[] {"--input", "0x8"}, out))));
        cases.add(new Case("factor huge --dilation", 2, "dilation", concat(conv, concat(new String[] {"--input", "8x8", "--dilation", "999999999"}, out))));
        cases.add(new Case("factor --dilation 0", 2, "--dilation", concat(conv, concat(new String[] {"--input", "8x8", "--dilation", "0"}, out))));
        cases.add(new Case("factor --stride -1", 2, "--stride", concat(conv, concat(new String[] {"--input", "8x8", "--stride", "-1"}, out))));
        cases.add(new Case("factor --padding -1", 2, "--padding", concat(conv, concat(new String[] {"--input", "8x8", "--padding", "-1"}, out))));
        cases.add(new Case("factor --groups 0", 2, "--groups", concat(conv, concat(new String[] {"--groups", "0"}, out))));
        cases.add(new Case("factor --a is the input", 1, "input", "factor", "$dir/fc.npy", "--rank", "2", "--a", "$dir/fc.npy", "--b", "$dir/b.npy"));
        cases.add(new Case("factor --a in a missing folder", 1, "does not exist", "factor", "$dir/fc.npy", "--rank", "2", "--a", "$dir/nosuch/a.npy", "--b", "$dir/b.npy"));
        cases.add(new Case("factor --b a folder", 1, "folder", "factor", "$dir/fc.npy", "--rank", "2", "--a", "$dir/a.npy", "--b", "$dir"));
        return cases.stream().map(BadInputCatalogueTest::check);
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
