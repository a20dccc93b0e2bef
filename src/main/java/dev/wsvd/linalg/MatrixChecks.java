package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/** Preconditions shared by the linear algebra entry points, with messages that name the offending part. */
final class MatrixChecks {
    private MatrixChecks() {
    }

    /** Requires a matrix (rank 2) whose dimensions fit LAPACK's 32-bit integers. */
    static void requireMatrix(Tensor tensor, String role) {
        Objects.requireNonNull(tensor, role);
        if (tensor.shape().rank() != 2) {
            throw new IllegalArgumentException(role + " must be a matrix (rank 2), got shape " + tensor.shape());
        }
        if (tensor.shape().dim(0) > Integer.MAX_VALUE || tensor.shape().dim(1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(role + " of shape " + tensor.shape()
                    + " has a dimension beyond 2^31 - 1, the limit of LAPACK's 32-bit integers");
        }
    }

    /** Requires a type the BLAS and LAPACK routines compute in. */
    static void requireComputeType(Tensor tensor, String role) {
        if (!tensor.dtype().isComputeType()) {
            throw new IllegalArgumentException(role + " is " + tensor.dtype() + "; BLAS works on F32 or F64: widen it"
                    + " first with tensor.to(DType.F32)");
        }
    }

    /**
     * Requires every element to be finite, naming the first that is not (in row-major order), since LAPACK
     * would otherwise return garbage or loop.
     */
    static void requireFinite(Tensor matrix, String role) {
        long index = firstNonFinite(matrix);
        if (index >= 0) {
            int columns = matrix.columns();
            double value = matrix.getDouble(index);
            throw new IllegalArgumentException(role + " " + matrix.dtype() + " " + matrix.shape() + " has " + value
                    + " at (row " + index / columns + ", column " + index % columns
                    + "); SVD needs finite values: replace or drop non-finite weights first");
        }
    }

    /** Row-major index of the first NaN or infinite element, or -1. */
    static long firstNonFinite(Tensor matrix) {
        MemorySegment segment = matrix.segment();
        long size = matrix.shape().size();
        if (matrix.dtype() == DType.F32) {
            for (long i = 0; i < size; i++) {
                if (!Float.isFinite(segment.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i))) {
                    return i;
                }
            }
        } else if (matrix.dtype() == DType.F64) {
            for (long i = 0; i < size; i++) {
                if (!Double.isFinite(segment.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i))) {
                    return i;
                }
            }
        } else {
            for (long i = 0; i < size; i++) {
                if (!Double.isFinite(matrix.getDouble(i))) {
                    return i;
                }
            }
        }
        return -1;
    }
}
