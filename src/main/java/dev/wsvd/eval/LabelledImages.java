package dev.wsvd.eval;

import dev.wsvd.tensor.Shape;

import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled set of samples for classification: float values of shape {@code N x C x H x W},
 * {@code N x H x W} or {@code N x features} (row-major, sample after sample) and one integer class label per
 * sample. Immutable: the arrays are copied in and out.
 *
 * <p>Any sample layout works; {@link ClassificationAccuracy} reshapes each sample to the model's input when
 * the element counts agree (a {@code 28 x 28} image feeds a {@code 1 x 28 x 28} or a {@code 784} input).
 *
 * @param shape {@code N} followed by the dimensions of one sample
 * @param values {@code shape.size()} values, sample after sample
 * @param labels {@code N} class labels, each at least 0
 */
public record LabelledImages(Shape shape, float[] values, int[] labels) {

    /** Checks that the shape, values and labels agree and copies the arrays. */
    public LabelledImages {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(labels, "labels");
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("shape " + shape + " must be N followed by at least one sample dimension");
        }
        if (shape.dim(0) != labels.length) {
            throw new IllegalArgumentException("shape " + shape + " has " + shape.dim(0) + " samples but there are "
                    + labels.length + " labels");
        }
        if (shape.size() != values.length) {
            throw new IllegalArgumentException("shape " + shape + " holds " + shape.size() + " values, got " + values.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label of sample " + i + " is negative: " + labels[i]);
            }
        }
        values = values.clone();
        labels = labels.clone();
    }

    /** A copy of the values. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** A copy of the labels. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Number of samples {@code N}. */
    public int count() {
        return labels.length;
    }

    /** The label of sample {@code index}. */
    public int label(int index) {
        return labels[index];
    }

    /** The dimensions of one sample (the shape without {@code N}). */
    public Shape sampleShape() {
        long[] dims = shape.toArray();
        return Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** Number of values in one sample. */
    public long sampleSize() {
        return shape.stride(0);
    }

    /** Copies the values of samples {@code [from, to)} into {@code target} starting at {@code offset}. */
    void copySamples(int from, int to, float[] target, int offset) {
        int size = Math.toIntExact(sampleSize());
        System.arraycopy(values, from * size, target, offset, (to - from) * size);
    }

    /** The first {@code n} samples (for a quicker, smaller evaluation). */
    public LabelledImages first(int n) {
        if (n < 1 || n > count()) {
            throw new IllegalArgumentException("cannot take the first " + n + " of " + count() + " samples");
        }
        long size = sampleSize();
        return new LabelledImages(shape.withFirst(n), Arrays.copyOf(values, Math.toIntExact(n * size)), Arrays.copyOf(labels, n));
    }

    /** The samples from index {@code from} on (those {@link #first} leaves out), copied. */
    public LabelledImages from(int from) {
        return range(from, count());
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public LabelledImages range(int from, int to) {
        if (from < 0 || to > count() || to - from < 1) {
            throw new IllegalArgumentException("cannot take samples " + from + " to " + to + " of " + count());
        }
        int size = Math.toIntExact(sampleSize());
        return new LabelledImages(shape.withFirst(to - from), Arrays.copyOfRange(values, from * size, to * size),
                Arrays.copyOfRange(labels, from, to));
    }

    /** The same samples with each sample reshaped to {@code sample} (same number of values). */
    public LabelledImages withSampleShape(Shape sample) {
        if (sample.size() != sampleSize()) {
            throw new IllegalArgumentException("a sample of shape " + sampleShape() + " (" + sampleSize()
                    + " values) cannot be reshaped to " + sample + " (" + sample.size() + " values)");
        }
        long[] dims = new long[sample.rank() + 1];
        dims[0] = count();
        System.arraycopy(sample.toArray(), 0, dims, 1, sample.rank());
        return new LabelledImages(Shape.of(dims), values, labels);
    }

    /** The values standardised as {@code (value - mean) / std}, the usual input normalisation of image models. */
    public LabelledImages normalized(float mean, float std) {
        if (!(std > 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException("normalisation needs a finite mean and a positive finite std, got mean "
                    + mean + ", std " + std);
        }
        float[] scaled = new float[values.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (values[i] - mean) / std;
        }
        return new LabelledImages(shape, scaled, labels);
    }

    /** The number of classes the labels imply: the largest label plus one. */
    public int classCount() {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelledImages that && shape.equals(that.shape)
                && Arrays.equals(values, that.values) && Arrays.equals(labels, that.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * shape.hashCode() + Arrays.hashCode(values)) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "LabelledImages[" + shape + ", " + classCount() + " classes]";
    }
}
