package dev.wsvd.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path directory;

    private final Random random = new Random(42);

    // ---- an .npy writer written here from the format description, independent of Npy ------------------------

    /**
     * The bytes NumPy writes: magic, version, little-endian header length, the header dict with sorted keys,
     * 21 minus the digits of the growth axis spaces, then spaces and a newline up to a multiple of 64.
     */
    static byte[] numpyFile(int version, String descr, boolean fortranOrder, long[] shape, byte[] data) {
        StringBuilder tuple = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            tuple.append(i > 0 ? ", " : "").append(shape[i]);
        }
        tuple.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") + ", 'shape': " + tuple + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(21 - Long.toString(shape[fortranOrder ? shape.length - 1 : 0]).length());
        }
        int prefix = version == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padding = 64 - total % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer bytes = ByteBuffer.allocate(prefix + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
        if (version == 1) {
            bytes.putShort((short) header.length());
        } else {
            bytes.putInt(header.length());
        }
        bytes.put(header.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)).put(data);
        return bytes.array();
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    static byte[] doubles(ByteOrder order, double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(order);
        for (double v : values) {
            buffer.putDouble(v);
        }
        return buffer.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(directory.resolve(name), bytes);
    }

    private static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Tensor randomTensor(DType dtype, long... dims) {
        Tensor t = Tensor.allocate(dtype, Shape.of(dims));
        for (long i = 0; i < t.shape().size(); i++) {
            t.setDouble(i, random.nextGaussian() * 100);
        }
        return t;
    }

    // ---- round trips ----------------------------------------------------------------------------------------

    @Test
    void roundTripsEveryShapeAndType() throws IOException {
        long[][] shapes = {{}, {5}, {3, 4}, {2, 3, 1, 5}, {0, 3}, {3, 0, 2}, {1}};
        for (DType dtype : new DType[] {DType.F32, DType.F64, DType.F16}) {
            for (long[] dims : shapes) {
                Path path = directory.resolve("round-" + dtype + "-" + dims.length + ".npy");
                try (Tensor original = randomTensor(dtype, dims)) {
                    Npy.write(original, path);
                    try (Tensor back = Npy.read(path)) {
                        assertEquals(dtype, back.dtype());
                        assertEquals(original.shape(), back.shape());
                        assertArrayEquals(original.toDoubleArray(), back.toDoubleArray(), dtype + " " + original.shape());
                    }
                }
            }
        }
    }

    @Test
    void writesTheBytesNumPyWrites() throws IOException {
        try (Tensor t = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6)) {
            Path path = directory.resolve("w.npy");
            Npy.write(t, path);
            byte[] written = Files.readAllBytes(path);
            assertArrayEquals(numpyFile(1, "<f4", false, new long[] {2, 3}, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6)), written);
            int headerLength = (written[8] & 0xFF) | (written[9] & 0xFF) << 8;
            int dataOffset = 10 + headerLength;
            assertEquals(0, dataOffset % 64, "data starts on a 64-byte boundary");
            assertEquals('\n', written[dataOffset - 1], "header ends with a newline");
            assertEquals(1, written[6], "version 1.0");
        }
        try (Tensor scalar = Tensor.ofDoubles(Shape.of(), 3.25); Tensor empty = Tensor.allocate(DType.F64, Shape.of(0))) {
            Npy.write(scalar, directory.resolve("s.npy"));
            assertArrayEquals(numpyFile(1, "<f8", false, new long[0], doubles(ByteOrder.LITTLE_ENDIAN, 3.25)),
                    Files.readAllBytes(directory.resolve("s.npy")));
            Npy.write(empty, directory.resolve("e.npy"));
            assertArrayEquals(numpyFile(1, "<f8", false, new long[] {0}, new byte[0]), Files.readAllBytes(directory.resolve("e.npy")));
        }
    }

    /** Headers over 65535 bytes need version 2.0, as NumPy picks it. */
    @Test
    void hugeHeadersUseVersion2() throws IOException {
        long[] dims = new long[30_000];
        java.util.Arrays.fill(dims, 1);
        dims[7] = 2;
        try (Tensor t = randomTensor(DType.F32, dims)) {
            Path path = directory.resolve("v2.npy");
            Npy.write(t, path);
            byte[] written = Files.readAllBytes(path);
            assertEquals(2, written[6]);
            assertArrayEquals(numpyFile(2, "<f4", false, dims, floats(ByteOrder.LITTLE_ENDIAN, t.toFloatArray())), written);
            try (Tensor back = Npy.read(path)) {
                assertEquals(t.shape(), back.shape());
                assertArrayEquals(t.toFloatArray(), back.toFloatArray());
            }
        }
    }

    // ---- files written by NumPy (fixtures made once by src/test/resources/npy/make_fixtures.py) -----------------

    @Test
    void readsNumPyWrittenFiles() throws IOException {
        try (Tensor t = Npy.read(fixture("c_f4_2x3.npy"))) {
            assertEquals(Shape.of(2, 3), t.shape());
            for (int i = 0; i < 6; i++) {
                assertEquals(i * 0.25f - 0.5f, t.getFloat(i));
            }
            assertTrue(t.segment().isMapped());
        }
        try (Tensor t = Npy.read(fixture("c_f8_2x3x4.npy"))) {
            assertEquals(Shape.of(2, 3, 4), t.shape());
            for (int i = 0; i < 24; i++) {
                assertEquals(i / 7.0, t.getDouble(i)); // IEEE division is correctly rounded in both languages
            }
        }
        try (Tensor t = Npy.read(fixture("fortran_f4_3x4.npy"))) {
            assertEquals(Shape.of(3, 4), t.shape());
            for (int i = 0; i < 12; i++) {
                assertEquals(i, t.get(i / 4, i % 4));
            }
            assertFalse(t.segment().isMapped());
        }
        try (Tensor t = Npy.read(fixture("big_f8_2x2.npy"))) {
            assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5}, t.toDoubleArray());
        }
        try (Tensor t = Npy.read(fixture("big_fortran_f4_2x3x4x5.npy"))) {
            assertEquals(Shape.of(2, 3, 4, 5), t.shape());
            for (int i = 0; i < 120; i++) {
                assertEquals(i, t.get(i / 60, i / 20 % 3, i / 5 % 4, i % 5), "element " + i);
            }
        }
        try (Tensor t = Npy.read(fixture("f2_5.npy")); Tensor wide = t.to(DType.F32)) {
            assertEquals(DType.F16, t.dtype());
            assertArrayEquals(new float[] {1, -2, 0.5f, 65504, 0x1p-24f}, wide.toFloatArray());
        }
        try (Tensor t = Npy.read(fixture("scalar_f8.npy"))) {
            assertEquals(Shape.of(), t.shape());
            assertEquals(3.25, t.get());
        }
        try (Tensor t = Npy.read(fixture("empty_f4_0x3.npy"))) {
            assertEquals(Shape.of(0, 3), t.shape());
        }
        for (String name : List.of("v2_f4_3.npy", "v3_f4_3.npy")) {
            try (Tensor t = Npy.read(fixture(name))) {
                assertArrayEquals(new float[] {1.5f, -2.5f, 4}, t.toFloatArray(), name);
            }
        }
    }

    @Test
    void writesByteForByteWhatNumPyWrote() throws IOException {
        for (String name : List.of("c_f4_2x3.npy", "c_f8_2x3x4.npy", "c_f4_1x2x3x4.npy", "f2_5.npy", "scalar_f8.npy", "empty_f4_0x3.npy")) {
            Path copy = directory.resolve(name);
            try (Tensor t = Npy.read(fixture(name))) {
                Npy.write(t, copy);
            }
            assertArrayEquals(Files.readAllBytes(fixture(name)), Files.readAllBytes(copy), name);
        }
    }

    // ---- zero copy and conversions --------------------------------------------------------------------------

    @Test
    void readIsAZeroCopyMappingThatUnmapsOnClose() throws IOException {
        byte[] bytes = numpyFile(1, "<f4", false, new long[] {2, 2}, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4));
        Path path = file("mapped.npy", bytes);
        Tensor t = Npy.read(path);
        Tensor row = t.slice(1, 2);
        assertTrue(t.segment().isMapped());
        assertTrue(t.ownsMemory());
        assertTrue(t.isReadOnly());
        assertEquals(0, t.segment().address() % 64, "mapped data is 64-byte aligned");
        // a change to the file's data shows through: the tensor is the page cache, not a heap copy
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(floats(ByteOrder.LITTLE_ENDIAN, 40)), bytes.length - 4);
        }
        assertEquals(40f, t.getFloat(3));
        assertEquals(40f, row.getFloat(1));
        assertThrows(UnsupportedOperationException.class, () -> t.setFloat(0, 9));
        t.close();
        assertThrows(IllegalStateException.class, () -> t.getFloat(0));
        assertThrows(IllegalStateException.class, () -> row.getFloat(0));
        t.close();
    }

    @Test
    void overwritingAMappedFileLeavesTheOpenTensorIntact() throws IOException {
        Path path = directory.resolve("replace.npy");
        try (Tensor first = Tensor.ofFloats(Shape.of(2), 1, 2); Tensor second = Tensor.ofFloats(Shape.of(3), 7, 8, 9)) {
            Npy.write(first, path);
            try (Tensor mapped = Npy.read(path)) {
                Npy.write(second, path); // a new file moved over the name; the mapping keeps the old one
                assertArrayEquals(new float[] {1, 2}, mapped.toFloatArray());
                try (Tensor fresh = Npy.read(path)) {
                    assertArrayEquals(new float[] {7, 8, 9}, fresh.toFloatArray());
                }
            }
        }
    }

    @Test
    void convertsBigEndianAndFortranOrderIntoOwnedRowMajorTensors() throws IOException {
        Path big = file("big.npy", numpyFile(1, ">f4", false, new long[] {3}, floats(ByteOrder.BIG_ENDIAN, 1.5f, -2, 1e-30f)));
        try (Tensor t = Npy.read(big)) {
            assertArrayEquals(new float[] {1.5f, -2, 1e-30f}, t.toFloatArray());
            assertFalse(t.segment().isMapped());
            assertFalse(t.isReadOnly());
        }
        // column-major 2x3 [[0, 1, 2], [3, 4, 5]] is stored 0, 3, 1, 4, 2, 5
        Path fortran = file("f.npy", numpyFile(1, "<f8", true, new long[] {2, 3}, doubles(ByteOrder.LITTLE_ENDIAN, 0, 3, 1, 4, 2, 5)));
        try (Tensor t = Npy.read(fortran)) {
            assertEquals(Shape.of(2, 3), t.shape());
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, t.toDoubleArray());
        }
        Path fortran1d = file("f1.npy", numpyFile(1, "<f4", true, new long[] {3}, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3)));
        try (Tensor t = Npy.read(fortran1d)) {
            assertTrue(t.segment().isMapped(), "a 1-D Fortran array is already row-major");
            assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
        }
        Path half = file("h.npy", numpyFile(1, ">f2", false, new long[] {2},
                ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putShort((short) 0x3C00).putShort((short) 0xC000).array()));
        try (Tensor t = Npy.read(half)) {
            assertArrayEquals(new double[] {1, -2}, t.toDoubleArray());
        }
    }

    @Test
    void headerIsReadableAlone() throws IOException {
        NpyHeader header = Npy.readHeader(fixture("big_fortran_f4_2x3x4x5.npy"));
        assertEquals(DType.F32, header.dtype());
        assertEquals(ByteOrder.BIG_ENDIAN, header.byteOrder());
        assertTrue(header.fortranOrder());
        assertEquals(Shape.of(2, 3, 4, 5), header.shape());
        assertEquals(128, header.dataOffset());
        assertEquals(">f4", header.descr());
        assertFalse(header.isZeroCopy());
        assertEquals(3, Npy.readHeader(fixture("v3_f4_3.npy")).version());
    }

    @Test
    void toleratesHeaderVariantsNumPyAccepts() throws IOException {
        String[] headers = {
            "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2L,)}",   // double quotes, Python 2 long
            "{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}",             // any key order, no trailing comma
            "{ 'descr' : '<f4' ,\n 'fortran_order' : False , 'shape' : ( 2 , ) , }",
        };
        for (String dict : headers) {
            Path path = file("variant.npy", rawFile(1, dict + "\n", floats(ByteOrder.LITTLE_ENDIAN, 5, 6)));
            try (Tensor t = Npy.read(path)) {
                assertArrayEquals(new float[] {5, 6}, t.toFloatArray(), dict);
            }
        }
    }

    // ---- malformed files ------------------------------------------------------------------------------------

    /** A file with the given header text, unpadded: for malformed cases. */
    static byte[] rawFile(int version, String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(version);
        out.write(0);
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        out.write(text.length & 0xFF);
        out.write(text.length >>> 8);
        if (version > 1) {
            out.write(0);
            out.write(0);
        }
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private void assertMalformed(String name, byte[] bytes, String... expectedWords) throws IOException {
        Path path = file(name, bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> {
            try (Tensor t = Npy.read(path)) {
                t.shape();
            }
        }, name);
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertEquals(path, e.file());
        for (String word : expectedWords) {
            assertTrue(e.getMessage().contains(word), () -> name + ": expected '" + word + "' in: " + e.getMessage());
        }
    }

    private static String dict(String descr, String fortran, String shape) {
        return "{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    @Test
    void malformedFilesGetClearErrors() throws IOException {
        byte[] twoFloats = floats(ByteOrder.LITTLE_ENDIAN, 1, 2);
        assertMalformed("empty.npy", new byte[0], "too short");
        assertMalformed("text.npy", "just some text, not numpy".getBytes(StandardCharsets.US_ASCII), "\\x93NUMPY");
        assertMalformed("version.npy", rawFile(4, dict("'<f4'", "False", "(2,)"), twoFloats), "version 4.0");
        byte[] minor = rawFile(1, dict("'<f4'", "False", "(2,)"), twoFloats);
        minor[7] = 1;
        assertMalformed("minor.npy", minor, "version 1.1");
        byte[] full = rawFile(1, dict("'<f4'", "False", "(2,)"), twoFloats);
        assertMalformed("cut-header.npy", java.util.Arrays.copyOf(full, 30), "truncated header");
        assertMalformed("cut-length.npy", java.util.Arrays.copyOf(rawFile(2, dict("'<f4'", "False", "(2,)"), twoFloats), 11), "truncated header");
        assertMalformed("list.npy", rawFile(1, "[1, 2]\n", twoFloats), "not a Python dict");
        assertMalformed("unterminated.npy", rawFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", twoFloats), "not a Python dict");
        assertMalformed("code.npy", rawFile(1, "{'descr': __import__('os'), 'fortran_order': False, 'shape': (2,)}", twoFloats), "not a Python dict");
        assertMalformed("no-shape.npy", rawFile(1, "{'descr': '<f4', 'fortran_order': False}\n", twoFloats), "lacks the key 'shape'");
        assertMalformed("extra.npy", rawFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}\n", twoFloats), "unexpected key 'x'");
        assertMalformed("twice.npy", rawFile(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\n", twoFloats), "twice");
        assertMalformed("shape-int.npy", rawFile(1, dict("'<f4'", "False", "2"), twoFloats), "not a tuple");
        assertMalformed("shape-paren.npy", rawFile(1, dict("'<f4'", "False", "(2)"), twoFloats), "not a tuple");
        assertMalformed("shape-negative.npy", rawFile(1, dict("'<f4'", "False", "(-2,)"), twoFloats), "non-negative");
        assertMalformed("shape-float.npy", rawFile(1, dict("'<f4'", "False", "(2.5,)"), twoFloats), "not a Python dict");
        assertMalformed("shape-huge.npy", rawFile(1, dict("'<f4'", "False", "(4294967296, 4294967296)"), twoFloats), "too many elements");
        assertMalformed("fortran.npy", rawFile(1, dict("'<f4'", "1", "(2,)"), twoFloats), "fortran_order");
        assertMalformed("object.npy", rawFile(1, dict("'|O'", "False", "(2,)"), twoFloats), "'|O'", "pickled Python objects", "float32");
        assertMalformed("complex.npy", rawFile(1, dict("'<c8'", "False", "(2,)"), twoFloats), "'<c8'", "complex");
        assertMalformed("int.npy", rawFile(1, dict("'<i8'", "False", "(1,)"), twoFloats), "'<i8'", "integer", "astype");
        assertMalformed("long-double.npy", rawFile(1, dict("'<f16'", "False", "(1,)"), new byte[16]), "'<f16'");
        assertMalformed("not-applicable.npy", rawFile(1, dict("'|f4'", "False", "(2,)"), twoFloats), "'|f4'");
        assertMalformed("structured.npy", rawFile(1, dict("[('a', '<f4')]", "False", "(2,)"), twoFloats), "structured");
        assertMalformed("short-data.npy", rawFile(1, dict("'<f4'", "False", "(3,)"), twoFloats), "truncated", "needs 12 bytes", "has 8");
        assertMalformed("short-data-converted.npy", rawFile(1, dict("'>f8'", "True", "(2, 2)"), twoFloats), "truncated");
        assertMalformed("utf8.npy", rawFile(3, "{'descr': '\u00ff\u00fe'}", twoFloats), "UTF-8");
        byte[] numpyMade = Files.readAllBytes(fixture("i8_3.npy"));
        assertMalformed("i8_3.npy", numpyMade, "'<i8'");
        byte[] huge = rawFile(2, "", new byte[0]);
        huge[8] = 0;
        huge[9] = 0;
        huge[10] = 0;
        huge[11] = 0x40; // 1 GiB header
        assertMalformed("huge-header.npy", huge, "implausible");
    }

    @Test
    void missingFileIsAnIOException() {
        assertThrows(NoSuchFileException.class, () -> Npy.read(directory.resolve("absent.npy")));
    }

    // ---- writing safely -------------------------------------------------------------------------------------

    @Test
    void writeLeavesNoTemporaryFilesAndKeepsUsualPermissions() throws IOException {
        try (Tensor t = Tensor.ofFloats(Shape.of(1), 1)) {
            Path path = directory.resolve("out.npy");
            Npy.write(t, path);
            Npy.write(t, path); // replacing works too
            assertEquals(List.of(path), listDirectory());
            Path reference = Files.createFile(directory.resolve("reference"));
            if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
                assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(path),
                        "the output gets the permissions any new file gets, not a temporary file's owner-only ones");
            }
        }
    }

    @Test
    void failedWritesLeaveTheTargetAndDirectoryAsTheyWere() throws IOException {
        Path path = file("keep.npy", new byte[] {1, 2, 3});
        Tensor closed = Tensor.ofFloats(Shape.of(1), 1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> Npy.write(closed, path));
        try (Tensor brain = Tensor.allocate(DType.BF16, Shape.of(2))) {
            var e = assertThrows(IllegalArgumentException.class, () -> Npy.write(brain, path));
            assertTrue(e.getMessage().contains("to(DType.F32)"), e.getMessage());
        }
        try (Tensor t = Tensor.ofFloats(Shape.of(1), 1)) {
            assertThrows(NoSuchFileException.class, () -> Npy.write(t, directory.resolve("no-such-dir").resolve("x.npy")));
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(path));
        assertEquals(List.of(path), listDirectory());
    }

    private List<Path> listDirectory() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> !p.getFileName().toString().equals("reference")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
