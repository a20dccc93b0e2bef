package dev.wsvd.eval;

import dev.wsvd.tensor.Shape;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The Fashion-MNIST CNN and its labelled test slice that wsvd ships on the class path
 * ({@value #RESOURCE_FOLDER}; trained by {@code src/main/python/fashion_mnist/train.py}, see the model card
 * there): the classification counterpart of the embedded MiniLM.
 *
 * <p>The model takes {@code input} of shape {@code [batch, 1, 28, 28]} with pixels in {@code [0, 1]} (the
 * normalisation is inside the graph) and returns {@code logits} of shape {@code [batch, 10]}. The slice holds
 * the first 1,000 images of the Fashion-MNIST test set in their original order, on which the model is right
 * 912 times. Its byte layout (all integers big-endian):
 * <pre>
 * offset  size               content
 *  0      4                  magic, ASCII "FMNS"
 *  4      4                  int32 N, number of images
 *  8      4                  int32 rows
 * 12      4                  int32 columns
 * 16      N x rows x columns uint8 pixels, image after image, row-major
 * 16 + N x rows x columns  N uint8 labels, 0..9
 * </pre>
 * Fashion-MNIST is Copyright (c) 2017 Zalando SE, MIT licence ({@code FASHION-MNIST-LICENSE.txt} next to the files).
 *
 * <pre>{@code
 * try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(FashionMnist.testSlice()).build()) {
 *     double top1 = accuracy.evaluate(FashionMnist.model()); // 0.912
 * }
 * }</pre>
 */
public final class FashionMnist {
    /** Class-path folder of the model and the slice. */
    public static final String RESOURCE_FOLDER = "/dev/wsvd/models/fashion-mnist/";
    /** The trained CNN (ONNX, opset 13, 13.1 MB). */
    public static final String MODEL_RESOURCE = RESOURCE_FOLDER + "fashion-mnist-cnn.onnx";
    /** The labelled 1,000-image test slice. */
    public static final String TEST_SLICE_RESOURCE = RESOURCE_FOLDER + "fashion-mnist-test-1000.bin";
    /**
     * The first 1,024 images of the Fashion-MNIST <em>training</em> set in the same layout: calibration images for the
     * data-aware split, disjoint from the test slice by construction.
     */
    public static final String TRAIN_SLICE_RESOURCE = RESOURCE_FOLDER + "fashion-mnist-train-1024.bin";
    /**
     * The other 9,000 images of the Fashion-MNIST test set (test images 1,000 to 9,999 in their original order), in
     * the slice layout, gzipped: the held-out set the reported scores use. None is in the test slice; calibration
     * takes training images ({@link #TRAIN_SLICE_RESOURCE}).
     */
    public static final String REST_RESOURCE = RESOURCE_FOLDER + "fashion-mnist-test-rest-9000.bin.gz";
    /** Images of {@link #REST_RESOURCE} in the held-out set. */
    public static final int HELD_OUT_IMAGES = 9000;
    /** Where the rest of the test set starts in the original test set: right after the slice. */
    public static final int REST_OFFSET = 1000;

    /** Class names by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final int MAGIC = ('F' << 24) | ('M' << 16) | ('N' << 8) | 'S';

    private FashionMnist() {
    }

    /**
     * The test slice, shaped {@code N x 1 x rows x columns} like the model's input, pixels scaled to [0, 1].
     *
     * @throws IOException if the resource is missing or malformed
     */
    public static LabelledImages testSlice() throws IOException {
        return slice(TEST_SLICE_RESOURCE, "test");
    }

    /** The training slice ({@link #TRAIN_SLICE_RESOURCE}), shaped as {@link #testSlice()}. */
    public static LabelledImages trainSlice() throws IOException {
        return slice(TRAIN_SLICE_RESOURCE, "training");
    }

    private static LabelledImages slice(String resource, String which) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the Fashion-MNIST " + which + " slice " + resource + " is not on the class path");
            }
            return read(in, "resource " + resource);
        }
    }

    /**
     * The held-out images: test images 1,000 to 9,999, disjoint from the {@linkplain #testSlice() slice} the search
     * scores; calibration uses training images, so neither set sees them.
     *
     * @throws IOException if the resource is missing or malformed
     */
    public static LabelledImages heldOutImages() throws IOException {
        return rest().range(0, HELD_OUT_IMAGES);
    }

    private static LabelledImages rest() throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(REST_RESOURCE)) {
            if (in == null) {
                throw new IOException("the rest of the Fashion-MNIST test set " + REST_RESOURCE + " is not on the class path");
            }
            return read(new GZIPInputStream(in), "resource " + REST_RESOURCE);
        }
    }

    /**
     * Reads a slice in the layout above from {@code in} (read to its end, not closed).
     *
     * @param name what messages call the stream
     * @throws IOException if the magic, sizes or length are wrong; the message names the stream
     */
    public static LabelledImages read(InputStream in, String name) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in));
        int count;
        int rows;
        int columns;
        try {
            int magic = data.readInt();
            if (magic != MAGIC) {
                throw new IOException(name + " is not a Fashion-MNIST slice: it starts with 0x" + Integer.toHexString(magic)
                        + ", not the magic \"FMNS\"");
            }
            count = data.readInt();
            rows = data.readInt();
            columns = data.readInt();
        } catch (EOFException e) {
            throw new IOException(name + " is truncated inside its 16-byte header", e);
        }
        if (count < 1 || rows < 1 || columns < 1 || (long) count * rows * columns > Integer.MAX_VALUE - 8) {
            throw new IOException(name + " declares " + count + " images of " + rows + " x " + columns
                    + " pixels; expected positive sizes that fit in memory");
        }
        byte[] pixels = new byte[count * rows * columns];
        byte[] labels = new byte[count];
        try {
            data.readFully(pixels);
            data.readFully(labels);
        } catch (EOFException e) {
            throw new IOException(name + " is truncated: its header promises " + count + " images of " + rows + " x "
                    + columns + " pixels and " + count + " labels", e);
        }
        if (data.read() != -1) {
            throw new IOException(name + " has bytes after the " + count + " labels its header promises");
        }
        float[] values = new float[pixels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (pixels[i] & 0xFF) / 255f;
        }
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = labels[i] & 0xFF;
            if (classes[i] >= CLASS_NAMES.size()) {
                throw new IOException(name + ": label " + classes[i] + " of image " + i + " is not a Fashion-MNIST class (0..9)");
            }
        }
        return new LabelledImages(Shape.of(count, 1, rows, columns), values, classes);
    }
}
