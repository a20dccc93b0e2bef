package dev.wsvd.linalg;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Products with a lower-triangular matrix {@code L} and with its inverse, by BLAS ({@code cblas_?trmm},
 * {@code cblas_?trsm}): the two steps around a data-aware truncation {@code W_r = trunc(W·L)·L⁻¹}, where
 * {@code L} is the {@link Cholesky} factor of the inputs' Gram matrix; and {@code Lᵀ·X}, the same whitening
 * applied from the left, for a matrix whose rows (not columns) meet the inputs (a convolution's
 * {@code Cin x (Cout·k)} view).
 *
 * <pre>{@code
 * try (Tensor whitened = Triangular.timesLower(w, l);              // W·L
 *      Tensor truncated = ...;                                    // rank-r SVD of W·L, multiplied out
 *      Tensor wr = Triangular.timesLowerInverse(truncated, l)) {   // W_r = trunc(W·L)·L⁻¹
 * }
 * }</pre>
 *
 * <p>{@code X} is {@code m x n} and {@code L} is {@code n x n}, both F32 or both F64, row-major; only the
 * lower triangle of {@code L} (diagonal included) is read, as BLAS does, so a factor with anything above its
 * diagonal is used as the triangular matrix it stands for. Results are new tensors that own their memory.
 */
public final class Triangular {
    private Triangular() {
    }

    /**
     * {@code X·L} as a new {@code m x n} tensor.
     *
     * @throws IllegalArgumentException if the shapes or types do not match, or an operand holds a NaN or an
     *                                  infinity (the message names the first)
     */
    public static Tensor timesLower(Tensor x, Tensor lower) {
        checkOperands(x, lower, Operation.TIMES_LOWER);
        return inPlaceOnACopy(x, lower, Operation.TIMES_LOWER);
    }

    /**
     * {@code Lᵀ·X} as a new {@code n x m} tensor ({@code X} is {@code n x m}): the transpose of
     * {@code Xᵀ·L}, without forming either transpose.
     *
     * @throws IllegalArgumentException if the shapes or types do not match, or an operand holds a NaN or an
     *                                  infinity (the message names the first)
     */
    public static Tensor lowerTransposedTimes(Tensor lower, Tensor x) {
        checkOperands(x, lower, Operation.LOWER_TRANSPOSED_TIMES);
        return inPlaceOnACopy(x, lower, Operation.LOWER_TRANSPOSED_TIMES);
    }

    /**
     * {@code X·L⁻¹} as a new {@code m x n} tensor: the solution {@code Y} of {@code Y·L = X}, by forward
     * substitution (no inverse is formed, which would cost accuracy as well as time).
     *
     * @throws IllegalArgumentException if the shapes or types do not match, an operand holds a NaN or an
     *                                  infinity, or {@code L} has a zero on its diagonal (it is singular)
     */
    public static Tensor timesLowerInverse(Tensor x, Tensor lower) {
        checkOperands(x, lower, Operation.TIMES_LOWER_INVERSE);
        int n = lower.rows();
        for (long j = 0; j < n; j++) {
            if (lower.getDouble(j * n + j) == 0) {
                throw new IllegalArgumentException("L " + lower.shape() + " has 0 on its diagonal at (" + j + ", " + j
                        + "): it is singular, so X·L⁻¹ does not exist");
            }
        }
        return inPlaceOnACopy(x, lower, Operation.TIMES_LOWER_INVERSE);
    }

    /**
     * {@code X·L⁻ᵀ} as a new {@code m x n} tensor: the solution {@code Y} of {@code Y·Lᵀ = X}, by back
     * substitution. With {@link #timesLowerInverse} it applies {@code G⁻¹ = L⁻ᵀ·L⁻¹} from the right without forming
     * the inverse: {@code X·G⁻¹ = (X·L⁻ᵀ)·L⁻¹}.
     *
     * @throws IllegalArgumentException if the shapes or types do not match, an operand holds a NaN or an
     *                                  infinity, or {@code L} has a zero on its diagonal (it is singular)
     */
    public static Tensor timesLowerTransposedInverse(Tensor x, Tensor lower) {
        checkOperands(x, lower, Operation.TIMES_LOWER_TRANSPOSED_INVERSE);
        requireNonSingular(lower, "X·L⁻ᵀ");
        return inPlaceOnACopy(x, lower, Operation.TIMES_LOWER_TRANSPOSED_INVERSE);
    }

    private static void requireNonSingular(Tensor lower, String what) {
        int n = lower.rows();
        for (long j = 0; j < n; j++) {
            if (lower.getDouble(j * n + j) == 0) {
                throw new IllegalArgumentException("L " + lower.shape() + " has 0 on its diagonal at (" + j + ", " + j
                        + "): it is singular, so " + what + " does not exist");
            }
        }
    }

    /** What BLAS computes in place of the copy of {@code X}. */
    private enum Operation {
        TIMES_LOWER, TIMES_LOWER_INVERSE, LOWER_TRANSPOSED_TIMES, TIMES_LOWER_TRANSPOSED_INVERSE
    }

    /** Copies {@code X} into the result, then lets BLAS overwrite it with {@code X·L}, {@code X·L⁻¹} or {@code Lᵀ·X}. */
    private static Tensor inPlaceOnACopy(Tensor x, Tensor lower, Operation operation) {
        if (OffHeap.needsCopy(lower)) {
            try (OffHeap nativeLower = OffHeap.of(lower)) {
                return inPlaceOnACopy(x, nativeLower.tensor(), operation);
            }
        }
        Tensor result = x.copy(); // native, whatever memory x is in
        try {
            int m = x.rows();
            int n = x.columns();
            if (m == 0 || n == 0) {
                return result;
            }
            OpenBlas.load();
            int rowMajor = cblas_h.CblasRowMajor();
            boolean fromTheLeft = operation == Operation.LOWER_TRANSPOSED_TIMES;
            int side = fromTheLeft ? cblas_h.CblasLeft() : cblas_h.CblasRight(); // L op X, or X op L
            int lowerTriangle = cblas_h.CblasLower();
            boolean transposed = fromTheLeft || operation == Operation.TIMES_LOWER_TRANSPOSED_INVERSE;
            int transpose = transposed ? cblas_h.CblasTrans() : cblas_h.CblasNoTrans();
            int nonUnit = cblas_h.CblasNonUnit(); // L's diagonal is read, not assumed to be ones
            int ldl = lower.columns();
            MemorySegment l = lower.segment();
            MemorySegment b = result.segment();
            boolean inverse = operation == Operation.TIMES_LOWER_INVERSE
                    || operation == Operation.TIMES_LOWER_TRANSPOSED_INVERSE;
            if (x.dtype() == DType.F32) {
                if (inverse) {
                    cblas_h.cblas_strsm(rowMajor, side, lowerTriangle, transpose, nonUnit, m, n, 1f, l, ldl, b, n);
                } else {
                    cblas_h.cblas_strmm(rowMajor, side, lowerTriangle, transpose, nonUnit, m, n, 1f, l, ldl, b, n);
                }
            } else if (inverse) {
                cblas_h.cblas_dtrsm(rowMajor, side, lowerTriangle, transpose, nonUnit, m, n, 1d, l, ldl, b, n);
            } else {
                cblas_h.cblas_dtrmm(rowMajor, side, lowerTriangle, transpose, nonUnit, m, n, 1d, l, ldl, b, n);
            }
            return result;
        } catch (RuntimeException | Error e) {
            result.close();
            throw e;
        }
    }

    private static void checkOperands(Tensor x, Tensor lower, Operation operation) {
        MatrixChecks.requireMatrix(x, "X");
        MatrixChecks.requireSquare(lower, "L");
        MatrixChecks.requireOperandTypes(x, "X", lower, "L");
        if (operation == Operation.LOWER_TRANSPOSED_TIMES ? x.rows() != lower.rows() : x.columns() != lower.rows()) {
            throw new IllegalArgumentException(operation == Operation.LOWER_TRANSPOSED_TIMES
                    ? "cannot multiply Lᵀ (L is " + lower.shape() + ") by X (" + x.shape() + "): L has " + lower.rows()
                            + " rows, X has " + x.rows()
                    : "cannot multiply X (" + x.shape() + ") by L (" + lower.shape() + "): X has " + x.columns()
                            + " columns, L has " + lower.rows() + " rows");
        }
        MatrixChecks.requireFinite(x, "X", "triangular products need finite values");
        MatrixChecks.requireFiniteLowerTriangle(lower, "L", "triangular products need finite values");
    }
}
