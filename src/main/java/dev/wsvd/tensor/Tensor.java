package dev.wsvd.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A dense, row-major tensor over a {@link MemorySegment}.
 *
 * <p>A tensor either <em>owns</em> its memory (an {@link Arena} it closes in {@link #close()}) or
 * <em>borrows</em> it (a wrapped mapped file region, a direct buffer, a view of another tensor), in which
 * case closing it only ends this tensor's use of the memory. Views are free where the row-major layout
 * allows ({@link #reshape}, {@link #slice} along the first dimension); anything that moves elements
 * ({@link #transpose}, {@link #permute}, {@link #to}) is an explicit copy that owns its memory.
 *
 * <p>Any access after close, or after the memory's owner closed, throws {@link IllegalStateException}; the
 * memory is never touched once freed. Owned memory comes from a shared arena, so a tensor may be read from
 * several threads (closing it while another thread reads fails that read cleanly).
 */
public final class Tensor implements AutoCloseable {
    /** Byte alignment of owned memory: a cache line, so SIMD loads never straddle one needlessly. */
    private static final long ALIGNMENT = 64;

    private final MemorySegment segment;
    private final DType dtype;
    private final Shape shape;
    private final Arena ownedArena; // null when borrowed
    private volatile boolean closed;

    private Tensor(MemorySegment segment, DType dtype, Shape shape, Arena ownedArena) {
        this.segment = segment;
        this.dtype = dtype;
        this.shape = shape;
        this.ownedArena = ownedArena;
    }

    /** A zero-filled tensor that owns its memory. */
    public static Tensor allocate(DType dtype, Shape shape) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = arena.allocate(Math.max(1, byteSize(dtype, shape)), ALIGNMENT)
                    .asSlice(0, byteSize(dtype, shape));
            return new Tensor(memory, dtype, shape, arena);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** A zero-filled tensor whose memory belongs to {@code arena}: closing the tensor does not free it. */
    public static Tensor allocate(DType dtype, Shape shape, Arena arena) {
        Objects.requireNonNull(arena, "arena");
        MemorySegment memory = arena.allocate(Math.max(1, byteSize(dtype, shape)), ALIGNMENT)
                .asSlice(0, byteSize(dtype, shape));
        return new Tensor(memory, dtype, shape, null);
    }

    /**
     * Borrows existing memory without copying: a mapped file region, a direct buffer's segment, memory
     * from native code. Elements must be in native byte order; the caller keeps the memory alive.
     */
    public static Tensor wrap(MemorySegment segment, DType dtype, Shape shape) {
        Objects.requireNonNull(segment, "segment");
        long expected = byteSize(dtype, shape);
        if (segment.byteSize() != expected) {
            throw new IllegalArgumentException("a " + dtype + " tensor of shape " + shape + " needs " + expected
                    + " bytes, but the segment has " + segment.byteSize());
        }
        return new Tensor(segment, dtype, shape, null);
    }

    /** Borrows a direct buffer's memory (from its position to its limit) without copying. */
    public static Tensor wrap(ByteBuffer direct, DType dtype, Shape shape) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("only direct buffers can be wrapped without a copy; use ofFloats/ofDoubles for heap data");
        }
        if (direct.order() != ByteOrder.nativeOrder() && dtype.byteSize() > 1 && direct.remaining() > 0) {
            // The segment ignores the buffer's order flag; say so rather than read swapped bytes silently.
            throw new IllegalArgumentException("buffer order " + direct.order() + " is not the native order " + ByteOrder.nativeOrder());
        }
        return wrap(MemorySegment.ofBuffer(direct), dtype, shape);
    }

    /**
     * Takes ownership of memory from {@code owner} (e.g. a mapped file region): closing the tensor closes the
     * arena. For readers in this package that produce memory no one else should close.
     */
    static Tensor adopt(MemorySegment segment, DType dtype, Shape shape, Arena owner) {
        Objects.requireNonNull(owner, "owner");
        if (segment.byteSize() != byteSize(dtype, shape)) {
            throw new IllegalArgumentException("a " + dtype + " tensor of shape " + shape + " needs " + byteSize(dtype, shape)
                    + " bytes, but the segment has " + segment.byteSize());
        }
        return new Tensor(segment, dtype, shape, owner);
    }

    /** A new owned f32 tensor holding a copy of {@code values}. */
    public static Tensor ofFloats(Shape shape, float... values) {
        checkCount(shape, values.length);
        Tensor tensor = allocate(DType.F32, shape);
        MemorySegment.copy(values, 0, tensor.segment, DType.FLOAT, 0, values.length);
        return tensor;
    }

    /** A new owned f64 tensor holding a copy of {@code values}. */
    public static Tensor ofDoubles(Shape shape, double... values) {
        checkCount(shape, values.length);
        Tensor tensor = allocate(DType.F64, shape);
        MemorySegment.copy(values, 0, tensor.segment, DType.DOUBLE, 0, values.length);
        return tensor;
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    /**
     * Whether the memory refuses writes (a read-only mapped file, a read-only buffer); {@link #copy()} gives a
     * writable tensor. Native code must never write into such memory: it is mapped without write permission.
     */
    public boolean isReadOnly() {
        return segment().isReadOnly();
    }

    /** Whether closing this tensor frees its memory. */
    public boolean ownsMemory() {
        return ownedArena != null;
    }

    /**
     * The tensor's memory. Valid while this tensor is open; do not keep it past {@link #close()}.
     *
     * @throws IllegalStateException if this tensor, or the owner of the memory it borrows, was closed
     */
    public MemorySegment segment() {
        if (closed) {
            throw new IllegalStateException("tensor " + dtype + " " + shape + " was closed and can no longer be used");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("tensor " + dtype + " " + shape
                    + " borrows memory whose owner was closed; keep the owner open while its views are used");
        }
        return segment;
    }

    /** Number of rows of a matrix (first dimension). */
    public int rows() {
        requireRank(2);
        return shape.intDim(0);
    }

    /** Number of columns of a matrix (second dimension). */
    public int columns() {
        requireRank(2);
        return shape.intDim(1);
    }

    /** Element {@code index} in row-major order, widened to double. */
    public double getDouble(long index) {
        return dtype.read(segment(), checkIndex(index));
    }

    /** Element {@code index} in row-major order as a float (rounded for f64). */
    public float getFloat(long index) {
        return (float) getDouble(index);
    }

    /** Element at a full multi-index. */
    public double get(long... index) {
        return getDouble(flatIndex(index));
    }

    /**
     * Sets element {@code index} in row-major order, rounding to nearest even for narrower types.
     *
     * @throws UnsupportedOperationException if the memory is read-only (see {@link #isReadOnly()})
     */
    public void setDouble(long index, double value) {
        MemorySegment memory = segment();
        if (memory.isReadOnly()) {
            throw new UnsupportedOperationException("tensor " + dtype + " " + shape
                    + " is read-only (a mapped input file or read-only buffer); write to a copy() instead");
        }
        dtype.write(memory, checkIndex(index), value);
    }

    public void setFloat(long index, float value) {
        setDouble(index, value);
    }

    /** A view with another shape of the same element count; shares memory, owns nothing. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + shape.size() + " elements) to "
                    + newShape + " (" + newShape.size() + " elements)");
        }
        return new Tensor(segment(), dtype, newShape, null);
    }

    /** A view of indices {@code [from, to)} along the first dimension; shares memory, owns nothing. */
    public Tensor slice(long from, long to) {
        if (shape.rank() == 0) {
            throw new IllegalArgumentException("a scalar cannot be sliced");
        }
        if (from < 0 || to < from || to > shape.dim(0)) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a first dimension of " + shape.dim(0));
        }
        long rowBytes = shape.stride(0) * dtype.byteSize();
        return new Tensor(segment().asSlice(from * rowBytes, (to - from) * rowBytes), dtype, shape.withFirst(to - from), null);
    }

    /** A copy of a matrix with rows and columns exchanged. */
    public Tensor transpose() {
        requireRank(2);
        return permute(1, 0);
    }

    /** A copy with the axes reordered: axis {@code i} of the result is axis {@code order[i]} of this tensor. */
    public Tensor permute(int... order) {
        int rank = shape.rank();
        if (order.length != rank) {
            throw new IllegalArgumentException("permutation " + java.util.Arrays.toString(order) + " does not match rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        long[] newDims = new long[rank];
        for (int i = 0; i < rank; i++) {
            if (order[i] < 0 || order[i] >= rank || seen[order[i]]) {
                throw new IllegalArgumentException(java.util.Arrays.toString(order) + " is not a permutation of 0.." + (rank - 1));
            }
            seen[order[i]] = true;
            newDims[i] = shape.dim(order[i]);
        }
        Shape newShape = Shape.of(newDims);
        long[] sourceStrides = new long[rank];
        for (int i = 0; i < rank; i++) {
            sourceStrides[i] = shape.stride(order[i]);
        }
        MemorySegment source = segment();
        Tensor result = allocate(dtype, newShape);
        MemorySegment target = result.segment;
        long[] counter = new long[rank];
        long sourceIndex = 0;
        long elementBytes = dtype.byteSize();
        for (long targetIndex = 0; targetIndex < newShape.size(); targetIndex++) {
            MemorySegment.copy(source, sourceIndex * elementBytes, target, targetIndex * elementBytes, elementBytes);
            // odometer over the result's indices, moving the source index by the permuted strides
            for (int axis = rank - 1; axis >= 0; axis--) {
                if (++counter[axis] < newDims[axis]) {
                    sourceIndex += sourceStrides[axis];
                    break;
                }
                sourceIndex -= sourceStrides[axis] * (newDims[axis] - 1);
                counter[axis] = 0;
            }
        }
        return result;
    }

    /** A copy converted to {@code target} (widening f16/bf16 exactly, narrowing with round-to-nearest). */
    public Tensor to(DType target) {
        MemorySegment source = segment(); // fail on a closed tensor before allocating the result
        Tensor result = allocate(target, shape);
        if (target == dtype) {
            MemorySegment.copy(source, 0, result.segment, 0, source.byteSize());
            return result;
        }
        for (long i = 0; i < shape.size(); i++) {
            target.write(result.segment, i, dtype.read(source, i));
        }
        return result;
    }

    /** An owned copy of this tensor. */
    public Tensor copy() {
        return to(dtype);
    }

    /** All elements as floats (a heap copy: for small tensors and tests). */
    public float[] toFloatArray() {
        float[] values = new float[Math.toIntExact(shape.size())];
        if (dtype == DType.F32) {
            MemorySegment.copy(segment(), DType.FLOAT, 0, values, 0, values.length);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = getFloat(i);
            }
        }
        return values;
    }

    /** All elements as doubles (a heap copy: for small tensors and tests). */
    public double[] toDoubleArray() {
        double[] values = new double[Math.toIntExact(shape.size())];
        if (dtype == DType.F64) {
            MemorySegment.copy(segment(), DType.DOUBLE, 0, values, 0, values.length);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = getDouble(i);
            }
        }
        return values;
    }

    /** Whether {@link #close()} was called on this tensor. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends this tensor's use of its memory and frees it if owned. Idempotent.
     *
     * @throws IllegalStateException if owned memory is still in use by a native call on another thread; the
     *                               tensor then stays open and can be closed again later
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (ownedArena != null) {
            ownedArena.close(); // may throw while a downcall holds the memory: then stay open, nothing leaks
        }
        closed = true;
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + shape + (ownedArena != null ? ", owned" : ", borrowed") + (closed ? ", closed" : "") + "]";
    }

    private long flatIndex(long[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of rank " + shape.rank());
        }
        long flat = 0;
        for (int axis = 0; axis < index.length; axis++) {
            if (index[axis] < 0 || index[axis] >= shape.dim(axis)) {
                throw new IndexOutOfBoundsException("index " + index[axis] + " on axis " + axis + " of shape " + shape);
            }
            flat = flat * shape.dim(axis) + index[axis];
        }
        return flat;
    }

    private long checkIndex(long index) {
        return java.util.Objects.checkIndex(index, shape.size());
    }

    private void requireRank(int rank) {
        if (shape.rank() != rank) {
            throw new IllegalArgumentException("expected a tensor of rank " + rank + ", got shape " + shape);
        }
    }

    private static long byteSize(DType dtype, Shape shape) {
        return Math.multiplyExact(shape.size(), (long) dtype.byteSize());
    }

    private static void checkCount(Shape shape, int count) {
        if (shape.size() != count) {
            throw new IllegalArgumentException("shape " + shape + " holds " + shape.size() + " elements, got " + count);
        }
    }
}
