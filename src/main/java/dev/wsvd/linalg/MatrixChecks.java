package dev.wsvd.linalg;

import dev.wsvd.simd.Kernels;
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

    /** Requires a square matrix (rank 2, dimensions that fit LAPACK's 32-bit integers). */
    static void requireSquare(Tensor tensor, String role) {
        requireMatrix(tensor, role);
        if (tensor.rows() != tensor.columns()) {
            throw new IllegalArgumentException(role + " must be square, got shape " + tensor.shape());
        }
    }

    /** Requires a type the BLAS and LAPACK routines compute in. */
    static void requireComputeType(Tensor tensor, String role) {
        if (!tensor.dtype().isComputeType()) {
            throw new IllegalArgumentException(role + " is " + tensor.dtype() + "; BLAS works on F32 or F64: widen it"
                    + " first with tensor.to(DType.F32)");
        }
    }

    /** Requires two operands both F32 or both F64, as every BLAS routine takes them. */
    static void requireOperandTypes(Tensor a, String roleA, Tensor b, String roleB) {
        requireComputeType(a, roleA);
        requireComputeType(b, roleB);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(roleA + " is " + a.dtype() + " but " + roleB + " is " + b.dtype()
                    + "; convert one with tensor.to(...) so both have the same type");
        }
    }

    /**
     * Requires every element to be finite, naming the first that is not (in row-major order), since BLAS and
     * LAPACK would otherwise return garbage or loop.
     *
     * @param need what the caller needs finite values for, and what to do: ends the message
     */
    static void requireFinite(Tensor matrix, String role, String need) {
        long index = Kernels.firstNonFinite(matrix); // the one vectorized scan; the scalar one below is for triangles
        if (index >= 0) {
            throw nonFinite(matrix, role, index, need);
        }
    }

    /** {@link #requireFinite} for routines that read only the lower triangle of a square matrix (diagonal included). */
    static void requireFiniteLowerTriangle(Tensor square, String role, String need) {
        int n = square.columns();
        for (long row = 0; row < square.rows(); row++) {
            long index = firstNonFinite(square, row * n, row * n + Math.min(row + 1, n));
            if (index >= 0) {
                throw nonFinite(square, role, index, need);
            }
        }
    }

    private static IllegalArgumentException nonFinite(Tensor matrix, String role, long index, String need) {
        int columns = matrix.columns();
        return new IllegalArgumentException(role + " " + matrix.dtype() + " " + matrix.shape() + " has "
                + matrix.getDouble(index) + " at (row " + index / columns + ", column " + index % columns + "); " + need);
    }

    /** Row-major index of the first NaN or infinite element among elements {@code [from, to)}, or -1. */
    private static long firstNonFinite(Tensor matrix, long from, long to) {
        MemorySegment segment = matrix.segment();
        switch (matrix.dtype()) {
            case F32 -> {
                for (long i = from; i < to; i++) {
                    if (!Float.isFinite(segment.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i))) {
                        return i;
                    }
                }
            }
            case F64 -> {
                for (long i = from; i < to; i++) {
                    if (!Double.isFinite(segment.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i))) {
                        return i;
                    }
                }
            }
            default -> {
                for (long i = from; i < to; i++) {
                    if (!Double.isFinite(matrix.getDouble(i))) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }
}
