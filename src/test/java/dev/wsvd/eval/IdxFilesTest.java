package dev.wsvd.eval;

import dev.wsvd.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFilesTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes: 0, 0, type 0x08, rank, big-endian int sizes, then the values. */
    private static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0);
        out.writeByte(0x08);
        out.writeByte(dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** Three 2 x 2 images whose pixels are 0, 51, ..., 255 (k * 51) and the labels 7, 0, 9. */
    private static final byte[] PIXELS = new byte[12];

    static {
        for (int i = 0; i < PIXELS.length; i++) {
            PIXELS[i] = (byte) ((i % 6) * 51);
        }
    }

    @Test
    void readsImagesScaledToUnitRangeAndTheirLabels() throws IOException {
        Path images = write("images-idx3-ubyte", idx(new int[] {3, 2, 2}, PIXELS));
        Path labels = write("labels-idx1-ubyte", idx(new int[] {3}, new byte[] {7, 0, 9}));
        LabelledImages set = IdxFiles.read(images, labels);
        assertEquals(Shape.of(3, 2, 2), set.shape());
        assertArrayEquals(new int[] {7, 0, 9}, set.labels());
        float[] expected = new float[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = (i % 6) * 51 / 255f; // 0, 0.2, 0.4, 0.6, 0.8, 1.0
        }
        assertArrayEquals(expected, set.values(), 0f);
        assertEquals(1.0f, set.values()[5], 0f);
    }

    @Test
    void readsGzipCompressedFilesAndBytesAbove127AsUnsigned() throws IOException {
        byte[] bright = new byte[4];
        Arrays.fill(bright, (byte) 200); // negative as a signed byte
        Path images = write("images.gz", gzip(idx(new int[] {1, 2, 2}, bright)));
        Path labels = write("labels.gz", gzip(idx(new int[] {1}, new byte[] {(byte) 250})));
        LabelledImages set = IdxFiles.read(images, labels);
        assertEquals(200 / 255f, set.values()[0], 0f);
        assertEquals(250, set.label(0));
    }

    @Test
    void truncatedFileIsReportedWithItsName() throws IOException {
        byte[] whole = idx(new int[] {3, 2, 2}, PIXELS);
        Path images = write("short-images", Arrays.copyOf(whole, whole.length - 1));
        Path labels = write("labels", idx(new int[] {3}, new byte[] {1, 2, 3}));
        IOException e = assertThrows(IOException.class, () -> IdxFiles.read(images, labels));
        assertTrue(e.getMessage().contains("short-images") && e.getMessage().contains("truncated"), e.getMessage());

        Path headerOnly = write("header-only", Arrays.copyOf(whole, 6));
        IOException header = assertThrows(IOException.class, () -> IdxFiles.read(headerOnly, labels));
        assertTrue(header.getMessage().contains("header-only") && header.getMessage().contains("header"), header.getMessage());
    }

    @Test
    void rejectsNonIdxOtherTypesMismatchedCountsAndTrailingBytes() throws IOException {
        Path labels = write("labels", idx(new int[] {3}, new byte[] {1, 2, 3}));
        Path png = write("picture.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        assertTrue(assertThrows(IOException.class, () -> IdxFiles.read(png, labels)).getMessage().contains("not an IDX file"));

        byte[] floats = idx(new int[] {3, 2, 2}, PIXELS);
        floats[2] = 0x0D; // IDX float type
        Path floatImages = write("float-images", floats);
        assertTrue(assertThrows(IOException.class, () -> IdxFiles.read(floatImages, labels)).getMessage().contains("0xd"));

        Path twoImages = write("two-images", idx(new int[] {2, 2, 2}, Arrays.copyOf(PIXELS, 8)));
        IOException counts = assertThrows(IOException.class, () -> IdxFiles.read(twoImages, labels));
        assertTrue(counts.getMessage().contains("2 images") && counts.getMessage().contains("3 labels"), counts.getMessage());

        byte[] padded = Arrays.copyOf(idx(new int[] {3, 2, 2}, PIXELS), 16 + 12 + 1);
        Path trailing = write("trailing", padded);
        assertTrue(assertThrows(IOException.class, () -> IdxFiles.read(trailing, labels)).getMessage().contains("after"));
    }
}
