package dev.wsvd.eval;

import dev.wsvd.tensor.Shape;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads labelled images in the IDX format of MNIST and Fashion-MNIST ({@code *-images-idx3-ubyte} and
 * {@code *-labels-idx1-ubyte}, plain or gzip-compressed).
 *
 * <p>An IDX file is a big-endian header followed by the data: two zero bytes, a type code ({@code 0x08} for
 * unsigned bytes, the only type these data sets use and the only one read here), the number of dimensions
 * {@code d}, then {@code d} 32-bit sizes, then the values in row-major order. Image files have
 * {@code d >= 2} ({@code N x rows x columns}); label files have {@code d = 1} ({@code N}). Pixels are scaled
 * to {@code [0, 1]} by dividing by 255; apply the model's own normalisation with
 * {@link LabelledImages#normalized(float, float)}.
 */
public final class IdxFiles {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {
    }

    /**
     * Reads an image file and its label file.
     *
     * @throws IOException if a file is missing, truncated, not IDX, not unsigned bytes, or the counts differ;
     *                     the message names the file
     */
    public static LabelledImages read(Path images, Path labels) throws IOException {
        try (InputStream imageStream = Files.newInputStream(images);
             InputStream labelStream = Files.newInputStream(labels)) {
            return read(imageStream, images.toString(), labelStream, labels.toString());
        }
    }

    /**
     * Reads images and labels from streams (for example class-path resources). The streams are read to their
     * end but not closed.
     *
     * @param imagesName what messages call the image stream
     * @param labelsName what messages call the label stream
     */
    public static LabelledImages read(InputStream images, String imagesName, InputStream labels, String labelsName)
            throws IOException {
        Idx imageData = readIdx(images, imagesName);
        Idx labelData = readIdx(labels, labelsName);
        if (imageData.dims.length < 2) {
            throw new IOException(imagesName + " holds a " + imageData.dims.length
                    + "-dimensional array; an image file has at least 2 dimensions (N x rows x columns)");
        }
        if (labelData.dims.length != 1) {
            throw new IOException(labelsName + " holds a " + labelData.dims.length
                    + "-dimensional array; a label file has exactly 1 dimension (N)");
        }
        if (imageData.dims[0] != labelData.dims[0]) {
            throw new IOException(imagesName + " holds " + imageData.dims[0] + " images but " + labelsName + " holds "
                    + labelData.dims[0] + " labels; they must come from the same set");
        }
        float[] pixels = new float[imageData.values.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (imageData.values[i] & 0xFF) / 255f;
        }
        int[] classes = new int[labelData.values.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = labelData.values[i] & 0xFF;
        }
        return new LabelledImages(Shape.of(imageData.dims), pixels, classes);
    }

    private record Idx(int[] dims, byte[] values) {
    }

    private static Idx readIdx(InputStream raw, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(buffered) : buffered);
        try {
            int zero = in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int rank = in.readUnsignedByte();
            if (zero != 0 || rank == 0) {
                throw new IOException(name + " is not an IDX file: its header starts with 0x"
                        + String.format("%04x%02x%02x", zero, type, rank)
                        + " (expected two zero bytes, a type code and a non-zero number of dimensions)");
            }
            if (type != UNSIGNED_BYTE) {
                throw new IOException(name + " holds IDX type 0x" + Integer.toHexString(type)
                        + "; only unsigned bytes (0x08), the type of (Fashion-)MNIST, are supported");
            }
            int[] dims = new int[rank];
            long count = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new IOException(name + ": dimension " + i + " has a negative size " + dims[i]);
                }
                count *= dims[i];
                if (count > Integer.MAX_VALUE - 8) {
                    throw new IOException(name + ": " + java.util.Arrays.toString(dims) + " is too large to load at once");
                }
            }
            byte[] values = new byte[(int) count];
            try {
                in.readFully(values);
            } catch (EOFException e) {
                throw new IOException(name + " is truncated: its header promises " + count + " values ("
                        + java.util.Arrays.toString(dims) + ") but the data ends early", e);
            }
            if (in.read() != -1) {
                throw new IOException(name + " has bytes after the " + count + " values its header promises; is it the right file?");
            }
            return new Idx(dims, values);
        } catch (EOFException e) {
            throw new IOException(name + " is truncated inside its IDX header", e);
        }
    }
}
