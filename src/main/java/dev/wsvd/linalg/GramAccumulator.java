package dev.wsvd.linalg;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Gram matrix {@code G = Σ xᵢ·xᵢᵀ} of rows {@code xᵢ} (each of length {@code n}) that arrive in batches,
 * with their count and their sum (hence their mean): what a data-aware SVD of a layer learns from its inputs.
 *
 * <pre>{@code
 * try (GramAccumulator accumulator = new GramAccumulator(in)) {
 *     for (Tensor batch : activations) {            // rows x in, F32 or F64
 *         accumulator.add(batch);
 *     }
 *     try (Tensor g = accumulator.gram(); Cholesky cholesky = Cholesky.factor(g)) { ... }
 * }
 * }</pre>
 *
 * <p>Each batch {@code X} ({@code rows x n}) adds {@code Xᵀ·X} to {@code G} by one BLAS rank-k update
 * ({@code cblas_dsyrk}), always in F64: an F32 (or F16, BF16) batch is widened first, exactly, since
 * activations summed over many samples in F32 would lose most of the digits that small eigenvalues of {@code G}
 * live in. Streaming changes only the order of the additions, so {@code G} does not depend on how the rows
 * were batched beyond rounding.
 *
 * <p>The accumulator owns its off-heap {@code G} (one triangle, {@code 8·n²} bytes) and sum; {@link #close()}
 * frees them, after which every method throws {@link IllegalStateException}. Methods are synchronized, so
 * batches may come from several threads, one at a time.
 */
public final class GramAccumulator implements AutoCloseable {
    private final int columns;
    private final Arena arena;
    /** Row-major {@code n x n}; syrk maintains the lower triangle (diagonal included), the rest stays zero. */
    private final MemorySegment lowerGram;
    private final double[] sum;
    private long rows;
    private boolean closed;

    /**
     * An empty accumulator for rows of {@code columns} elements.
     *
     * @throws IllegalArgumentException if {@code columns < 1}
     */
    public GramAccumulator(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("rows must have at least one element, got " + columns + " columns");
        }
        this.columns = columns;
        this.sum = new double[columns];
        this.arena = Arena.ofShared();
        try {
            // Zero-filled, as arenas allocate; cache-line aligned, so BLAS's blocked updates start on a boundary.
            this.lowerGram = arena.allocate((long) Double.BYTES * columns * columns, 64);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Adds every row of {@code batch} ({@code rows x n}); a batch of zero rows changes nothing. A refused batch
     * leaves the accumulator as it was.
     *
     * @throws IllegalArgumentException if {@code batch} is not a matrix of {@code n} columns, or holds a NaN or
     *                                  an infinity (the message names the first such element)
     * @throws IllegalStateException    if the accumulator is closed
     */
    public synchronized void add(Tensor batch) {
        requireOpen();
        MatrixChecks.requireMatrix(batch, "batch");
        if (batch.columns() != columns) {
            throw new IllegalArgumentException("batch " + batch.shape() + " has " + batch.columns()
                    + " columns, but this accumulator sums rows of " + columns);
        }
        MatrixChecks.requireFinite(batch, "batch", "a Gram matrix needs finite rows: drop the samples that produced"
                + " non-finite values first");
        if (batch.rows() == 0) {
            return;
        }
        OpenBlas.load();
        if (batch.dtype() == DType.F64) {
            try (OffHeap nativeBatch = OffHeap.of(batch)) {
                accumulate(nativeBatch.tensor());
            }
        } else {
            try (Tensor widened = batch.to(DType.F64)) {
                accumulate(widened);
            }
        }
    }

    private void accumulate(Tensor batch) {
        int k = batch.rows();
        MemorySegment x = batch.segment();
        // Row-major X is k x n, so Trans asks for Xᵀ·X; beta = 1 adds it to what is there.
        cblas_h.cblas_dsyrk(cblas_h.CblasRowMajor(), cblas_h.CblasLower(), cblas_h.CblasTrans(), columns, k,
                1.0, x, columns, 1.0, lowerGram, columns);
        for (long row = 0; row < k; row++) {
            for (int column = 0; column < columns; column++) {
                sum[column] += x.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, row * columns + column);
            }
        }
        rows += k;
    }

    /** The number of rows added so far. */
    public synchronized long rows() {
        requireOpen();
        return rows;
    }

    /** {@code n}, the length of each row. */
    public int columns() {
        return columns;
    }

    /**
     * A copy of {@code G} as it stands, {@code n x n} F64 with both triangles filled (exactly symmetric), which
     * the caller closes. All zeros before the first row.
     */
    public synchronized Tensor gram() {
        requireOpen();
        Tensor gram = Tensor.allocate(DType.F64, Shape.of(columns, columns));
        MemorySegment target = gram.segment();
        MemorySegment.copy(lowerGram, 0, target, 0, lowerGram.byteSize());
        for (long row = 0; row < columns; row++) {
            for (long column = 0; column < row; column++) {
                double value = target.getAtIndex(ValueLayout.JAVA_DOUBLE, row * columns + column);
                target.setAtIndex(ValueLayout.JAVA_DOUBLE, column * columns + row, value);
            }
        }
        return gram;
    }

    /**
     * The mean of the rows added, a new F64 vector of {@code n} elements that the caller closes.
     *
     * @throws IllegalStateException if no row was added yet, or the accumulator is closed
     */
    public synchronized Tensor mean() {
        requireOpen();
        if (rows == 0) {
            throw new IllegalStateException("no rows were added yet, so they have no mean");
        }
        Tensor mean = Tensor.allocate(DType.F64, Shape.of(columns));
        for (int column = 0; column < columns; column++) {
            mean.setDouble(column, sum[column] / rows);
        }
        return mean;
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Frees {@code G} and the sum. Idempotent; tensors returned earlier by {@link #gram()} and {@link #mean()} stay valid. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    @Override
    public synchronized String toString() {
        return "GramAccumulator[" + columns + " columns, " + rows + " rows" + (closed ? ", closed" : "") + "]";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Gram accumulator (" + columns + " columns) was closed; its G is freed");
        }
    }
}
