package dev.wsvd.linalg;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Matrix products of row-major F32 or F64 matrices by BLAS ({@code cblas_sgemm}/{@code cblas_dgemm}). Both
 * operands must have the same type; the product has it too.
 *
 * <pre>{@code
 * try (Tensor w = Gemm.multiply(b, a)) { ... }      // W_r = B·A
 * }</pre>
 */
public final class Gemm {
    private Gemm() {
    }

    /** {@code A·B} as a new tensor that owns its memory ({@code A} is {@code m x k}, {@code B} is {@code k x n}). */
    public static Tensor multiply(Tensor a, Tensor b) {
        return product(a, false, b, false);
    }

    /** {@code Aᵀ·B} as a new tensor ({@code A} is {@code k x m}, {@code B} is {@code k x n}). */
    public static Tensor multiplyTransposeA(Tensor a, Tensor b) {
        return product(a, true, b, false);
    }

    /** {@code A·Bᵀ} as a new tensor ({@code A} is {@code m x k}, {@code B} is {@code n x k}). */
    public static Tensor multiplyTransposeB(Tensor a, Tensor b) {
        return product(a, false, b, true);
    }

    /**
     * Writes {@code A·B} into {@code c} ({@code m x n}, same type), overwriting it.
     *
     * @throws IllegalArgumentException if the shapes or types do not match, or {@code c} shares memory with an operand
     */
    public static void multiplyInto(Tensor a, Tensor b, Tensor c) {
        gemm(a, false, b, false, c);
    }

    private static Tensor product(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        checkOperands(a, b);
        Tensor c = Tensor.allocate(a.dtype(), Shape.of(rowsOf(a, transposeA), columnsOf(b, transposeB)));
        try {
            gemm(a, transposeA, b, transposeB, c);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private static void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c) {
        checkOperands(a, b);
        MatrixChecks.requireMatrix(c, "product");
        int m = rowsOf(a, transposeA);
        int k = columnsOf(a, transposeA);
        int n = columnsOf(b, transposeB);
        if (rowsOf(b, transposeB) != k) {
            throw new IllegalArgumentException("cannot multiply " + describe(a, transposeA, "A") + " by "
                    + describe(b, transposeB, "B") + ": inner dimensions " + k + " and " + rowsOf(b, transposeB) + " differ");
        }
        if (c.dtype() != a.dtype() || c.rows() != m || c.columns() != n) {
            throw new IllegalArgumentException("the product of " + describe(a, transposeA, "A") + " and "
                    + describe(b, transposeB, "B") + " is " + a.dtype() + " " + m + "x" + n + ", but the target is "
                    + c.dtype() + " " + c.shape());
        }
        MemorySegment target = c.segment();
        if (overlaps(target, a.segment()) || overlaps(target, b.segment())) {
            throw new IllegalArgumentException("the target of a product must not share memory with an operand");
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (OffHeap.needsCopy(a) || OffHeap.needsCopy(b) || !target.isNative()) {
            offHeap(a, transposeA, b, transposeB, c);
            return;
        }
        if (k == 0) {
            target.fill((byte) 0); // an empty sum; BLAS implementations differ on whether they touch C here
            return;
        }
        OpenBlas.load();
        int rowMajor = cblas_h.CblasRowMajor();
        int opA = transposeA ? cblas_h.CblasTrans() : cblas_h.CblasNoTrans();
        int opB = transposeB ? cblas_h.CblasTrans() : cblas_h.CblasNoTrans();
        // Leading dimensions of row-major storage are the stored column counts.
        int lda = a.columns();
        int ldb = b.columns();
        if (a.dtype() == DType.F32) {
            cblas_h.cblas_sgemm(rowMajor, opA, opB, m, n, k, 1f, a.segment(), lda, b.segment(), ldb, 0f, target, n);
        } else {
            cblas_h.cblas_dgemm(rowMajor, opA, opB, m, n, k, 1d, a.segment(), lda, b.segment(), ldb, 0d, target, n);
        }
    }

    /** The product of operands on the heap or in a mapped file, or of a heap target: computed on owned copies. */
    private static void offHeap(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c) {
        try (OffHeap nativeA = OffHeap.of(a); OffHeap nativeB = OffHeap.of(b)) {
            if (c.segment().isNative()) {
                gemm(nativeA.tensor(), transposeA, nativeB.tensor(), transposeB, c);
                return;
            }
            try (Tensor product = Tensor.allocate(c.dtype(), c.shape())) {
                gemm(nativeA.tensor(), transposeA, nativeB.tensor(), transposeB, product);
                MemorySegment.copy(product.segment(), 0, c.segment(), 0, c.segment().byteSize());
            }
        }
    }

    private static void checkOperands(Tensor a, Tensor b) {
        MatrixChecks.requireMatrix(a, "A");
        MatrixChecks.requireMatrix(b, "B");
        MatrixChecks.requireOperandTypes(a, "A", b, "B");
    }

    /** Rows of {@code X} or, if {@code transposed}, of {@code Xᵀ}. */
    private static int rowsOf(Tensor x, boolean transposed) {
        return transposed ? x.columns() : x.rows();
    }

    /** Columns of {@code X} or, if {@code transposed}, of {@code Xᵀ}. */
    private static int columnsOf(Tensor x, boolean transposed) {
        return transposed ? x.rows() : x.columns();
    }

    private static String describe(Tensor x, boolean transposed, String name) {
        return name + (transposed ? "ᵀ (" + name + " is " : " (") + x.shape() + ")";
    }

    private static boolean overlaps(MemorySegment x, MemorySegment y) {
        return x.byteSize() > 0 && y.byteSize() > 0 && x.asOverlappingSlice(y).isPresent();
    }
}
