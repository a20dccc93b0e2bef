package dev.wsvd.linalg;

import dev.wsvd.bindings.openblas.lapacke_h;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The Cholesky factorization {@code G + s·I = L·Lᵀ} of a symmetric positive semi-definite matrix, such as a
 * Gram matrix from {@link GramAccumulator}, by LAPACK's {@code ?potrf}: {@code L} is lower-triangular with a
 * positive diagonal, and the shift {@code s} is 0 whenever {@code G} itself factors.
 *
 * <pre>{@code
 * try (Cholesky cholesky = Cholesky.factor(g)) {
 *     if (cholesky.isShifted()) {
 *         log("rank-deficient, shifted by " + cholesky.relativeShift() + " of the mean diagonal");
 *     }
 *     Tensor l = cholesky.lower();
 * }
 * }</pre>
 *
 * <p><b>The shift.</b> A Gram matrix of fewer rows than columns, or of rows with linearly dependent columns,
 * is singular: it has no Cholesky factor. Then {@code s} starts at {@value #INITIAL_RELATIVE_SHIFT} of the
 * mean diagonal {@code trace(G)/n} and grows tenfold until the factorization succeeds, up to the mean
 * diagonal itself (a matrix that does not factor even then is not positive semi-definite, and is refused).
 * A factorization counts as failed not only when LAPACK meets a non-positive pivot but also when a pivot
 * {@code L_jj²} is no larger than {@code n·ε·G_jj}: that is the rounding error the factorization itself commits
 * on that diagonal entry (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, Theorem 10.3), so
 * such a pivot is noise that happened to come out positive, and {@code L⁻¹} would amplify it without limit.
 *
 * <p>Only the lower triangle of {@code G} is read, as LAPACK does. The result has the input's type (F32 or F64;
 * F16 and BF16 are widened to F32) and owns {@code L}, which stays valid until the result is closed;
 * afterwards {@link #lower()}, and a tensor obtained from it, throw {@link IllegalStateException}.
 */
public final class Cholesky implements AutoCloseable {
    /** The first shift tried on a matrix that does not factor, relative to its mean diagonal. */
    public static final double INITIAL_RELATIVE_SHIFT = 1e-6;
    /**
     * The shifts tried in turn, as exact decimal literals (repeated multiplication by 10 would drift). The
     * largest is the mean diagonal itself: beyond it the shift would dominate and nothing of {@code G} be left.
     */
    private static final double[] RELATIVE_SHIFTS = {INITIAL_RELATIVE_SHIFT, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1};

    private final Tensor lower;
    private final Arena arena;
    private final double shift;
    private final double relativeShift;
    private volatile boolean closed;

    private Cholesky(Tensor lower, Arena arena, double shift, double relativeShift) {
        this.lower = lower;
        this.arena = arena;
        this.shift = shift;
        this.relativeShift = relativeShift;
    }

    /**
     * Factors {@code G + s·I = L·Lᵀ} with the smallest shift {@code s} of the sequence described above. The
     * input is not modified.
     *
     * @param symmetric an {@code n x n} symmetric positive semi-definite matrix, {@code n >= 1}, with a finite
     *                  lower triangle and a positive diagonal sum
     * @return the factor and the shift, which the caller closes
     * @throws IllegalArgumentException if the matrix is not square, is empty, holds a NaN or infinity in its
     *                                  lower triangle (the message names it), has a non-positive trace, or does
     *                                  not factor even with the largest shift
     * @throws LapackException          if LAPACK rejects an argument (a bug in wsvd)
     * @throws dev.wsvd.nativelib.NativeLibraryException if OpenBLAS cannot be loaded
     */
    public static Cholesky factor(Tensor symmetric) {
        MatrixChecks.requireSquare(symmetric, "matrix");
        if (symmetric.rows() == 0) {
            throw new IllegalArgumentException("cannot factor the empty matrix " + symmetric.shape());
        }
        MatrixChecks.requireFiniteLowerTriangle(symmetric, "matrix", "Cholesky needs finite values");
        OpenBlas.load();
        if (!symmetric.dtype().isComputeType()) {
            try (Tensor widened = symmetric.to(DType.F32)) {
                return factorWithShift(widened);
            }
        }
        return factorWithShift(symmetric);
    }

    private static Cholesky factorWithShift(Tensor g) {
        int n = g.rows();
        double meanDiagonal = trace(g) / n;
        if (!(meanDiagonal > 0)) {
            throw new IllegalArgumentException("the " + g.dtype() + " " + g.shape() + " matrix has a mean diagonal of "
                    + meanDiagonal + "; a Gram matrix has a positive one unless every row it sums is zero");
        }
        Arena resultArena = Arena.ofShared();
        try {
            Tensor l = Tensor.allocate(g.dtype(), Shape.of(n, n), resultArena);
            double relativeShift = 0;
            int failedColumn = tryFactor(g, 0, l);
            for (int attempt = 0; failedColumn >= 0; attempt++) {
                if (attempt == RELATIVE_SHIFTS.length) {
                    throw new IllegalArgumentException("the " + g.dtype() + " " + g.shape() + " matrix is not positive"
                            + " semi-definite: its Cholesky factorization fails at column " + failedColumn + " even with"
                            + " the diagonal raised by its mean, " + meanDiagonal + ". A Gram matrix never does this;"
                            + " is the matrix one (or was its lower triangle left empty)?");
                }
                relativeShift = RELATIVE_SHIFTS[attempt];
                failedColumn = tryFactor(g, relativeShift * meanDiagonal, l);
            }
            clearStrictUpperTriangle(l);
            return new Cholesky(l, resultArena, relativeShift * meanDiagonal, relativeShift);
        } catch (RuntimeException | Error e) {
            resultArena.close();
            throw e;
        }
    }

    /**
     * Factors {@code G + shift·I} into {@code l} (lower triangle; the strict upper holds leftovers).
     *
     * @return -1 on success, else the column (from 0) whose pivot was not positive or was noise
     */
    private static int tryFactor(Tensor g, double shift, Tensor l) {
        int n = g.rows();
        MemorySegment a = l.segment();
        MemorySegment.copy(g.segment(), 0, a, 0, a.byteSize());
        for (long j = 0; j < n; j++) {
            l.setDouble(j * n + j, g.getDouble(j * n + j) + shift);
        }
        // Read column-major, the row-major buffer is Gᵀ = G, and its upper triangle is G's lower one. LAPACK's
        // column-major U with G = UᵀU is, read row-major, Uᵀ = L with G = L·Lᵀ: no transposes needed.
        byte upper = 'U';
        int layout = lapacke_h.LAPACK_COL_MAJOR();
        int info = l.dtype() == DType.F32
                ? lapacke_h.LAPACKE_spotrf(layout, upper, n, a, n)
                : lapacke_h.LAPACKE_dpotrf(layout, upper, n, a, n);
        if (info < 0) {
            String function = "LAPACKE_" + (l.dtype() == DType.F32 ? "s" : "d") + "potrf";
            throw new LapackException(function, info, function + " rejected argument " + -info + " of the call on an "
                    + n + "x" + n + " " + l.dtype() + " matrix; this is a bug in wsvd, please report it with the shape");
        }
        if (info > 0) {
            return info - 1; // LAPACK counts from 1: the leading minor of order info is not positive definite
        }
        double epsilon = l.dtype() == DType.F32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        for (int j = 0; j < n; j++) {
            double pivot = l.getDouble((long) j * n + j);
            double diagonal = g.getDouble((long) j * n + j) + shift;
            if (pivot * pivot <= n * epsilon * diagonal) {
                return j;
            }
        }
        return -1;
    }

    private static double trace(Tensor g) {
        double trace = 0;
        for (long j = 0, n = g.rows(); j < n; j++) {
            trace += g.getDouble(j * n + j);
        }
        return trace;
    }

    private static void clearStrictUpperTriangle(Tensor l) {
        int n = l.rows();
        long elementBytes = l.dtype().byteSize();
        MemorySegment segment = l.segment();
        for (long row = 0; row < n - 1; row++) {
            segment.asSlice((row * n + row + 1) * elementBytes, (n - 1 - row) * elementBytes).fill((byte) 0);
        }
    }

    /** {@code L}, {@code n x n} lower-triangular with a positive diagonal and zeros above it. */
    public Tensor lower() {
        requireOpen();
        return lower;
    }

    /** {@code s}, the value added to every diagonal entry of {@code G} before factoring: 0 if none was needed. */
    public double shift() {
        return shift;
    }

    /** {@code s} relative to the mean diagonal of {@code G}: 0, or {@value #INITIAL_RELATIVE_SHIFT} times a power of 10. */
    public double relativeShift() {
        return relativeShift;
    }

    /** Whether {@code G} had to be shifted to factor, that is, whether it is (numerically) rank-deficient. */
    public boolean isShifted() {
        return shift > 0;
    }

    /** {@code n}. */
    public int size() {
        return lower.shape().intDim(0);
    }

    /** F32 or F64. */
    public DType dtype() {
        return lower.dtype();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Frees {@code L}. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            lower.close();
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "Cholesky[" + size() + "x" + size() + " " + dtype()
                + (isShifted() ? ", shifted by " + relativeShift + " of the mean diagonal (" + shift + ")" : ", unshifted")
                + (closed ? ", closed" : "") + "]";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Cholesky factorization (" + size() + "x" + size() + ") was closed; its L is freed");
        }
    }
}
