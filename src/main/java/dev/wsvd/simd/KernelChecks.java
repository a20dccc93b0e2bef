package dev.wsvd.simd;

import java.lang.foreign.MemorySegment;

/**
 * Range and aliasing checks shared by both kernel implementations, run before any memory is touched so a
 * rejected call leaves its target unchanged.
 */
final class KernelChecks {
    private KernelChecks() {
    }

    /** Checks that elements {@code [offset, offset + count)} of {@code elementBytes} each lie inside the segment. */
    static void checkRange(String name, MemorySegment segment, long offset, long count, int elementBytes) {
        if (offset < 0 || count < 0) {
            throw new IndexOutOfBoundsException(name + ": offset " + offset + " and count " + count + " must not be negative");
        }
        long available = segment.byteSize() / elementBytes;
        if (offset > available || count > available - offset) {
            throw new IndexOutOfBoundsException(name + ": elements [" + offset + ", " + (offset + count) + ") do not fit in a segment of "
                    + available + " elements of " + elementBytes + " bytes");
        }
    }

    /** Checks a tail-sum call: the f64 values in range, one tail entry per value. */
    static void checkTails(MemorySegment x, long offset, int count, double[] tails) {
        checkRange("x", x, offset, count, Double.BYTES);
        if (tails.length < count) {
            throw new IndexOutOfBoundsException("tails: " + count + " sums do not fit in an array of " + tails.length);
        }
    }

    static void checkBlock(String name, MatrixBlock block, int elementBytes) {
        checkRange(name, block.segment(), block.offset(), block.endIndex() - block.offset(), elementBytes);
    }

    /**
     * Checks a scaling call: blocks in range and of equal size, scales in range, a writable target that is
     * either the source itself or disjoint from it.
     */
    static void checkScaling(MatrixBlock source, MemorySegment scales, long scalesOffset, long scaleCount,
                             MatrixBlock target, int elementBytes) {
        if (source.rows() != target.rows() || source.columns() != target.columns()) {
            throw new IllegalArgumentException("source block is " + source.rows() + "x" + source.columns()
                    + " but target block is " + target.rows() + "x" + target.columns());
        }
        checkBlock("source", source, elementBytes);
        checkBlock("target", target, elementBytes);
        checkRange("scales", scales, scalesOffset, scaleCount, elementBytes);
        if (target.segment().isReadOnly()) {
            throw new IllegalArgumentException("target segment is read-only (a mapped input file?); scale into a copy");
        }
        if (source.size() > 0 && overlaps(source, target, elementBytes) && !sameElements(source, target, elementBytes)) {
            throw new IllegalArgumentException("target block partly overlaps the source block; use the source itself "
                    + "(same segment, offset and row stride) to scale in place, or a separate target");
        }
    }

    private static boolean overlaps(MatrixBlock a, MatrixBlock b, int elementBytes) {
        return span(a, elementBytes).asOverlappingSlice(span(b, elementBytes)).isPresent();
    }

    /** Whether both blocks address the same elements in the same order (in-place use). */
    private static boolean sameElements(MatrixBlock a, MatrixBlock b, int elementBytes) {
        MemorySegment spanA = span(a, elementBytes);
        MemorySegment spanB = span(b, elementBytes);
        return a.rowStride() == b.rowStride()
                && spanA.address() == spanB.address()
                && spanA.heapBase().orElse(null) == spanB.heapBase().orElse(null);
    }

    private static MemorySegment span(MatrixBlock block, int elementBytes) {
        return block.segment().asSlice(block.offset() * elementBytes, (block.endIndex() - block.offset()) * elementBytes);
    }
}
