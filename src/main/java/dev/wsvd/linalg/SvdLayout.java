package dev.wsvd.linalg;

import dev.wsvd.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * How a row-major {@code m x n} matrix is handed to LAPACK's column-major SVD, and how its factors come back as
 * row-major {@code U} ({@code m x k}) and {@code Vt} ({@code k x n}).
 *
 * <p>LAPACKE's own row-major entry points transpose the input and both outputs around the column-major call.
 * Two layouts avoid some or all of that work; which is faster depends on the shape LAPACK then sees, because
 * gesdd's QR-first path for tall matrices is much faster than its LQ-first path for wide ones (measured by
 * bench/ {@code SvdLayoutBenchmark}; numbers and reasoning in bench/README.md).
 */
enum SvdLayout {
    /**
     * No copies but the one LAPACK destroys: read column-major, the row-major {@code m x n} matrix is the
     * {@code n x m} matrix {@code Aᵀ}. LAPACK factors {@code Aᵀ = U'·S·V'ᵀ}, so {@code A = V'·S·U'ᵀ}, that is
     * {@code U = V'} and {@code Vt = U'ᵀ}. Read row-major, LAPACK's column-major {@code U'} ({@code n x k}) is
     * exactly {@code Vt} and its column-major {@code V'ᵀ} ({@code k x m}) is exactly {@code U}, so LAPACK writes
     * straight into the result. Fastest when LAPACK then sees a tall or square matrix, that is when {@code m <= n}.
     */
    TRANSPOSED_VIEW {
        @Override
        LapackSvdCall prepare(Tensor matrix, Tensor u, Tensor s, Tensor vt, Arena workspace) {
            int m = matrix.rows();
            int n = matrix.columns();
            MemorySegment a = LapackSvd.allocate(workspace, matrix.dtype(), (long) m * n);
            LapackSvdCall call = new LapackSvdCall(matrix.dtype(), n, m, a, n, s.segment(),
                    vt.segment(), n, u.segment(), Math.min(m, n));
            load(matrix, call);
            return call;
        }

        @Override
        void load(Tensor matrix, LapackSvdCall call) {
            MemorySegment.copy(matrix.segment(), 0, call.a(), 0, matrix.segment().byteSize());
        }

        @Override
        void finish(LapackSvdCall call, Tensor u, Tensor vt) {
            // LAPACK wrote the result in place.
        }
    },

    /**
     * Transpose the input so that LAPACK factors {@code A} itself, column-major {@code m x n}, then transpose
     * both factors back. Three copies, but for a tall matrix ({@code m > n}) they cost far less than the
     * LQ-first path that {@link #TRANSPOSED_VIEW} would send LAPACK down.
     */
    EXPLICIT_TRANSPOSE {
        @Override
        LapackSvdCall prepare(Tensor matrix, Tensor u, Tensor s, Tensor vt, Arena workspace) {
            int m = matrix.rows();
            int n = matrix.columns();
            int k = Math.min(m, n);
            var dtype = matrix.dtype();
            LapackSvdCall call = new LapackSvdCall(dtype, m, n, LapackSvd.allocate(workspace, dtype, (long) m * n), m,
                    s.segment(), LapackSvd.allocate(workspace, dtype, (long) m * k), m,
                    LapackSvd.allocate(workspace, dtype, (long) k * n), k);
            load(matrix, call);
            return call;
        }

        @Override
        void load(Tensor matrix, LapackSvdCall call) {
            Transposes.transpose(matrix.dtype(), matrix.rows(), matrix.columns(), matrix.segment(), call.a());
        }

        @Override
        void finish(LapackSvdCall call, Tensor u, Tensor vt) {
            // Column-major m x k read row-major is U's k x m transpose; likewise Vt's.
            Transposes.transpose(call.dtype(), call.k(), call.rows(), call.u(), u.segment());
            Transposes.transpose(call.dtype(), call.cols(), call.k(), call.vt(), vt.segment());
        }
    };

    /** The faster layout for a row-major {@code rows x cols} matrix. */
    static SvdLayout forShape(int rows, int cols) {
        return rows <= cols ? TRANSPOSED_VIEW : EXPLICIT_TRANSPOSE;
    }

    /** Allocates the column-major problem in {@code workspace}, pointing at the result tensors where it can, and loads the matrix. */
    abstract LapackSvdCall prepare(Tensor matrix, Tensor u, Tensor s, Tensor vt, Arena workspace);

    /** Copies the matrix (again) into the call's input, which LAPACK destroys. */
    abstract void load(Tensor matrix, LapackSvdCall call);

    /** Moves the factors from the call's outputs into the row-major result tensors. */
    abstract void finish(LapackSvdCall call, Tensor u, Tensor vt);
}
