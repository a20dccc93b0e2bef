package dev.wsvd.simd;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A {@code rows x columns} block of a row-major matrix stored in a segment: element {@code (i, j)} is at
 * element index {@code offset + i * rowStride + j}. Offsets and strides count elements of the type the
 * kernel works on (f32 or f64), not bytes.
 *
 * <p>A whole contiguous matrix has {@code rowStride == columns}; the leading {@code r} columns of an
 * {@code m x k} matrix are the block {@code (offset 0, m rows, r columns, row stride k)}. Whether the block
 * fits inside the segment is checked by the kernels, which know the element size.
 *
 * @param segment   the memory holding the matrix
 * @param offset    element index of element {@code (0, 0)}
 * @param rows      number of rows, at least 0
 * @param columns   number of columns, at least 0
 * @param rowStride elements from the start of one row to the start of the next, at least {@code columns}
 */
public record MatrixBlock(MemorySegment segment, long offset, int rows, int columns, long rowStride) {

    public MatrixBlock {
        Objects.requireNonNull(segment, "segment");
        if (offset < 0 || rows < 0 || columns < 0) {
            throw new IllegalArgumentException("offset, rows and columns must not be negative: offset " + offset
                    + ", " + rows + " rows, " + columns + " columns");
        }
        if (rowStride < columns) {
            throw new IllegalArgumentException("row stride " + rowStride + " is shorter than a row of " + columns
                    + " columns; rows would overlap");
        }
    }

    /** A whole contiguous {@code rows x columns} matrix starting at element {@code offset}. */
    public static MatrixBlock contiguous(MemorySegment segment, long offset, int rows, int columns) {
        return new MatrixBlock(segment, offset, rows, columns, columns);
    }

    /** Number of elements in the block. */
    public long size() {
        return (long) rows * columns;
    }

    /** Element index of the start of row {@code row}. */
    long rowStart(int row) {
        return offset + row * rowStride;
    }

    /** One past the element index of the block's last element, or {@code offset} for an empty block. */
    long endIndex() {
        return size() == 0 ? offset : offset + (rows - 1) * rowStride + columns;
    }
}
