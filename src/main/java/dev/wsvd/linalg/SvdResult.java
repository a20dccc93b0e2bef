package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * A thin SVD {@code A = U·diag(S)·Vt} of an {@code m x n} matrix, with {@code k = min(m, n)}: {@code U} is
 * {@code m x k} with orthonormal columns, {@code S} holds the {@code k} singular values in descending order,
 * {@code Vt} is {@code k x n} with orthonormal rows; all row-major, of the input's type (F32 for F32, F16 and
 * BF16 input; F64 for F64).
 *
 * <p>One result serves every truncation rank: the rank-{@code r} factors are the first {@code r} columns of
 * {@code U}, the first {@code r} values of {@code S} and the first {@code r} rows of {@code Vt} (a free view:
 * {@code vt().slice(0, r)}). The result owns the memory of all three tensors, which stay valid until it is
 * closed; afterwards the accessors, and any tensor obtained from them, throw {@link IllegalStateException}.
 * Closing the tensors themselves is allowed and frees nothing.
 */
public final class SvdResult implements AutoCloseable {
    private final Tensor u;
    private final Tensor s;
    private final Tensor vt;
    private final Arena arena;
    private volatile boolean closed;

    SvdResult(Tensor u, Tensor s, Tensor vt, Arena arena) {
        this.u = u;
        this.s = s;
        this.vt = vt;
        this.arena = arena;
    }

    /** The left singular vectors, {@code m x k}, one per column. */
    public Tensor u() {
        requireOpen();
        return u;
    }

    /** The singular values, {@code k} of them, descending and non-negative. */
    public Tensor s() {
        requireOpen();
        return s;
    }

    /** The right singular vectors, {@code k x n}, one per row. */
    public Tensor vt() {
        requireOpen();
        return vt;
    }

    /** {@code m}, the rows of the decomposed matrix. */
    public int rows() {
        return u.shape().intDim(0);
    }

    /** {@code n}, the columns of the decomposed matrix. */
    public int columns() {
        return vt.shape().intDim(1);
    }

    /** {@code k = min(m, n)}, the number of singular values. */
    public int size() {
        return s.shape().intDim(0);
    }

    /** F32 or F64. */
    public DType dtype() {
        return s.dtype();
    }

    /** A heap copy of {@code S}. */
    public double[] singularValues() {
        return s().toDoubleArray();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Frees {@code U}, {@code S} and {@code Vt}. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        u.close();
        s.close();
        vt.close();
        arena.close();
    }

    @Override
    public String toString() {
        return "SvdResult[" + rows() + "x" + columns() + " " + dtype() + ", k=" + size() + (closed ? ", closed" : "") + "]";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this SVD result (" + rows() + "x" + columns() + ") was closed; its U, S and Vt are freed");
        }
    }
}
