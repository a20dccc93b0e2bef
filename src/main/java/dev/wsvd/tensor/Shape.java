package dev.wsvd.tensor;

import java.util.Arrays;
import java.util.StringJoiner;

/** The dimensions of a row-major tensor. Immutable; every dimension is at least 0. */
public final class Shape {
    private final long[] dims;
    private final long size;

    private Shape(long[] dims) {
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(dims) + " is negative");
            }
            count = Math.multiplyExact(count, dims[i]);
        }
        this.dims = dims;
        this.size = count;
    }

    public static Shape of(long... dims) {
        return new Shape(dims.clone());
    }

    public static Shape of(int... dims) {
        return new Shape(Arrays.stream(dims).asLongStream().toArray());
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis];
    }

    /** Dimension {@code axis} as an int, for the many callers (LAPACK, arrays) limited to int. */
    public int intDim(int axis) {
        return Math.toIntExact(dims[axis]);
    }

    /** Number of elements. */
    public long size() {
        return size;
    }

    public long[] toArray() {
        return dims.clone();
    }

    /** Elements between consecutive indices along {@code axis} (row-major). */
    public long stride(int axis) {
        long stride = 1;
        for (int i = dims.length - 1; i > axis; i--) {
            stride *= dims[i];
        }
        return stride;
    }

    /** This shape with the first dimension replaced. */
    public Shape withFirst(long first) {
        long[] copy = dims.clone();
        copy[0] = first;
        return new Shape(copy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Shape that && Arrays.equals(dims, that.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Dimensions joined by 'x', as users write them: {@code 64x3x7x7}; a scalar is {@code []}. */
    @Override
    public String toString() {
        if (dims.length == 0) {
            return "[]";
        }
        StringJoiner joiner = new StringJoiner("x");
        for (long d : dims) {
            joiner.add(Long.toString(d));
        }
        return joiner.toString();
    }
}
