package dev.wsvd.linalg;

import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * Singular value decompositions by LAPACK (OpenBLAS).
 *
 * <pre>{@code
 * try (SvdResult svd = Svd.thin(weight)) {          // weight: out x in, F32 or F64
 *     Tensor u = svd.u(), s = svd.s(), vt = svd.vt();
 * }
 * }</pre>
 *
 * <p>Calls may run concurrently from several threads. Each call uses OpenBLAS's whole thread pool; when Java
 * code runs several SVDs in parallel, it should do so inside {@link OpenBlas#singleThreaded()}.
 */
public final class Svd {
    /**
     * How far {@code sum sigma_i^2} may be from {@code ||A||_F^2}, relative to the latter: far above what a
     * backward-stable SVD leaves (about {@code k·eps}: 1e-5 in F32, 1e-13 in F64 for the sizes wsvd sees), far
     * below what a broken library gives (all-zero factors: a difference of 1).
     */
    static final double ENERGY_TOLERANCE_F32 = 1e-3;
    static final double ENERGY_TOLERANCE_F64 = 1e-6;

    /** Decompositions needing less than this are not checked against the available memory (no system call). */
    private static final double CHECKED_FROM_BYTES = 64e6;

    /** Divide and conquer first; QR iteration only if it fails to converge. */
    private static final List<SvdRoutine> DEFAULT_ROUTINES = List.of(LapackSvd.GESDD, LapackSvd.GESVD);

    private Svd() {
    }

    /**
     * The thin SVD of a matrix: {@code A = U·diag(S)·Vt} with {@code k = min(m, n)} singular values in
     * descending order. Uses LAPACK's divide-and-conquer driver (gesdd), falling back to QR iteration (gesvd)
     * if it does not converge. The input is not modified; F16 and BF16 input is widened to F32.
     *
     * @param matrix an {@code m x n} matrix, {@code m, n >= 1}, with finite elements
     * @return the factors, which the caller closes
     * @throws IllegalArgumentException if the matrix is not a matrix, is empty, or holds a NaN or infinity
     *                                  (the message names the first such element)
     * @throws LapackException          if LAPACK rejects the problem or neither driver converges, or its result
     *                                  fails the identity {@code sum sigma_i^2 = ||A||_F^2}
     * @throws SvdMemoryException       if the decomposition needs more memory than is available (checked first)
     * @throws dev.wsvd.nativelib.NativeLibraryException if OpenBLAS cannot be loaded
     */
    public static SvdResult thin(Tensor matrix) {
        return thin(matrix, DEFAULT_ROUTINES);
    }

    /** {@link #thin(Tensor)} trying {@code routines} in order until one converges (tests force gesvd with this). */
    static SvdResult thin(Tensor matrix, List<? extends SvdRoutine> routines) {
        return thin(matrix, routines, null);
    }

    /** As above, in the given layout ({@code null}: the faster one for the shape). */
    static SvdResult thin(Tensor matrix, List<? extends SvdRoutine> routines, SvdLayout layout) {
        MatrixChecks.requireMatrix(matrix, "matrix");
        if (matrix.shape().size() == 0) {
            throw new IllegalArgumentException("cannot take the SVD of the empty matrix " + matrix.shape());
        }
        DType computeType = matrix.dtype().isComputeType() ? matrix.dtype() : DType.F32;
        SvdLayout planned = layout != null ? layout : SvdLayout.forShape(matrix.rows(), matrix.columns());
        if (SvdMemory.neededBytes(computeType, matrix.rows(), matrix.columns(), planned) > CHECKED_FROM_BYTES) {
            SvdMemory.require(computeType, matrix.rows(), matrix.columns(), planned, SvdMemory.availableBytes());
        }
        MatrixChecks.requireFinite(matrix, "matrix", "SVD needs finite values: replace or drop non-finite weights first");
        OpenBlas.load();
        // the transposed view copies the matrix in Java; the explicit transpose hands it to BLAS, which must not
        // read heap memory (the linker refuses it) or a mapped file (a truncation would kill the JVM)
        if (!matrix.segment().isNative() || (OffHeap.needsCopy(matrix) && planned == SvdLayout.EXPLICIT_TRANSPOSE)) {
            try (OffHeap copy = OffHeap.of(matrix)) {
                return thin(copy.tensor(), routines, layout);
            }
        }
        if (!matrix.dtype().isComputeType()) {
            try (Tensor widened = matrix.to(DType.F32)) {
                return decompose(widened, routines, layout);
            }
        }
        return decompose(matrix, routines, layout);
    }

    private static SvdResult decompose(Tensor matrix, List<? extends SvdRoutine> routines, SvdLayout chosenLayout) {
        int m = matrix.rows();
        int n = matrix.columns();
        int k = Math.min(m, n);
        DType dtype = matrix.dtype();
        SvdLayout layout = chosenLayout != null ? chosenLayout : SvdLayout.forShape(m, n);
        Arena resultArena = Arena.ofShared();
        try (Arena workspace = Arena.ofConfined()) {
            Tensor u = Tensor.allocate(dtype, Shape.of(m, k), resultArena);
            Tensor s = Tensor.allocate(dtype, Shape.of(k), resultArena);
            Tensor vt = Tensor.allocate(dtype, Shape.of(k, n), resultArena);
            LapackSvdCall call = layout.prepare(matrix, u, s, vt, workspace);
            run(call, routines, layout, matrix, workspace);
            layout.finish(call, u, vt);
            checkEnergy(matrix, s, routines.getFirst().function(dtype));
            return new SvdResult(u, s, vt, resultArena);
        } catch (RuntimeException | Error e) {
            resultArena.close();
            throw e;
        }
    }

    /**
     * The cheap identity every SVD satisfies, {@code sum sigma_i^2 = ||A||_F^2}, with the singular values finite,
     * non-negative and descending: a LAPACK that exports the right symbols but computes nothing (or garbage) fails
     * it loudly here instead of producing factors that look plausible.
     */
    private static void checkEnergy(Tensor matrix, Tensor s, String function) {
        double norm = Kernels.sumOfSquares(matrix);
        double energy = 0;
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < s.shape().size(); i++) {
            double sigma = s.getDouble(i);
            if (!(sigma >= 0 && sigma <= previous)) {
                throw new LapackException(function, 0, "the SVD of the " + matrix.dtype() + " " + matrix.shape() + " matrix is"
                        + " wrong: singular value " + i + " is " + sigma + " after " + previous + " (they must be non-negative"
                        + " and descending); the LAPACK library computes wrong results: " + LIBRARY_HINT);
            }
            energy += sigma * sigma;
            previous = sigma;
        }
        double tolerance = matrix.dtype() == DType.F64 ? ENERGY_TOLERANCE_F64 : ENERGY_TOLERANCE_F32;
        double difference = Math.abs(energy - norm) / Math.max(norm, Double.MIN_NORMAL);
        // squares beyond double's range (elements near 1e154 or 1e-154) say nothing either way: skipped
        boolean comparable = Double.isFinite(norm) && Double.isFinite(energy) && norm > 1e-290;
        if (comparable && !(difference <= tolerance)) {
            throw new LapackException(function, 0, String.format(java.util.Locale.ROOT, "the SVD of the %s %s matrix is wrong:"
                    + " its squared singular values sum to %.6g but the matrix's squared Frobenius norm is %.6g (relative"
                    + " difference %.3g, tolerance %.0e); the LAPACK library computes wrong results: %s", matrix.dtype(),
                    matrix.shape(), energy, norm, difference, tolerance, LIBRARY_HINT));
        }
    }

    private static final String LIBRARY_HINT = "unset WSVD_OPENBLAS_LIBRARY to use the bundled OpenBLAS, or name a working one";

    private static void run(LapackSvdCall call, List<? extends SvdRoutine> routines, SvdLayout layout, Tensor matrix,
                            Arena workspace) {
        StringBuilder failures = new StringBuilder();
        int lastInfo = 0;
        for (int attempt = 0; attempt < routines.size(); attempt++) {
            SvdRoutine routine = routines.get(attempt);
            if (attempt > 0) {
                layout.load(matrix, call); // the failed routine destroyed its input
            }
            int info = routine.run(call, workspace);
            if (info == 0) {
                return;
            }
            String function = routine.function(call.dtype());
            if (info < 0) {
                throw new LapackException(function, info, illegalArgument(routine, function, info, call));
            }
            lastInfo = info;
            failures.append(failures.isEmpty() ? "" : "; ").append(function).append(" did not converge (info ")
                    .append(info).append(")");
        }
        String last = routines.getLast().function(call.dtype());
        throw new LapackException(last, lastInfo, "the SVD of the " + matrix.dtype() + " " + matrix.shape()
                + " matrix failed: " + failures + ". The matrix may be extremely ill-conditioned or badly scaled;"
                + " rescaling it, or decomposing it in F64, may help");
    }

    private static String illegalArgument(SvdRoutine routine, String function, int info, LapackSvdCall call) {
        int index = -info; // LAPACKE numbers arguments from 1, matrix_layout first
        String argument = index <= routine.argumentNames().size()
                ? "argument " + index + " (" + routine.argumentNames().get(index - 1) + ")"
                : "argument " + index;
        return function + " rejected " + argument + " of the call on a " + call
                + "; this is a bug in wsvd, please report it with the matrix shape";
    }
}
