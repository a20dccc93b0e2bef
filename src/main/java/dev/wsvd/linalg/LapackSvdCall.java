package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;

import java.lang.foreign.MemorySegment;

/**
 * One thin SVD for LAPACK, in its own terms: the column-major {@code rows x cols} matrix {@code a} (destroyed
 * by the call) and where the singular values and the column-major factors {@code u} ({@code rows x k}) and
 * {@code vt} ({@code k x cols}) go, with their leading dimensions.
 */
record LapackSvdCall(DType dtype, int rows, int cols, MemorySegment a, int lda, MemorySegment s,
                     MemorySegment u, int ldu, MemorySegment vt, int ldvt) {

    int k() {
        return Math.min(rows, cols);
    }

    @Override
    public String toString() {
        return "column-major " + rows + "x" + cols + " " + dtype + " (lda " + lda + ", ldu " + ldu + ", ldvt " + ldvt + ")";
    }
}
