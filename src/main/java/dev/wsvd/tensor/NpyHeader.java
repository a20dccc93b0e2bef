package dev.wsvd.tensor;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * What an .npy file's header says: the element type and byte order ({@code descr}), whether the data is in
 * Fortran (column-major) order, the shape, and where the data starts.
 *
 * @param version      format version, {@code 1}, {@code 2} or {@code 3} (minor version is always 0)
 * @param dtype        element type
 * @param byteOrder    byte order of the elements in the file
 * @param fortranOrder whether the data is stored column-major
 * @param shape        array shape
 * @param dataOffset   byte offset of the first element
 */
record NpyHeader(int version, DType dtype, ByteOrder byteOrder, boolean fortranOrder, Shape shape, long dataOffset) {

    public NpyHeader {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(shape, "shape");
    }

    /** Bytes of element data the shape calls for. */
    public long dataBytes() {
        return Math.multiplyExact(shape.size(), (long) dtype.byteSize());
    }

    /**
     * Whether the file's bytes are already a native-order, row-major tensor, so reading can map them without a
     * copy. A Fortran-ordered array of rank 0 or 1 is laid out the same as a C-ordered one.
     */
    public boolean isZeroCopy() {
        return byteOrder.equals(ByteOrder.nativeOrder()) && (!fortranOrder || shape.rank() <= 1);
    }

    /** The NumPy type string, e.g. {@code <f4}. */
    public String descr() {
        return (byteOrder.equals(ByteOrder.LITTLE_ENDIAN) ? "<" : ">") + Npy.typeCode(dtype);
    }
}
