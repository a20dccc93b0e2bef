package dev.wsvd.tensor;

import dev.wsvd.io.AtomicFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0), so matrices move between wsvd and
 * NumPy unchanged.
 *
 * <p><b>Reading</b> maps the file. When the data is already what a {@link Tensor} holds (native byte order,
 * row-major: {@code <f4}, {@code <f8} or {@code <f2} from C-ordered arrays on a little-endian machine), the
 * returned tensor <em>is</em> the mapping: no copy is made, the memory is read-only, and closing the tensor
 * unmaps the file. Big-endian data and Fortran-ordered arrays are converted into a tensor that owns its
 * memory. float16 stays {@link DType#F16}; {@code to(DType.F32)} widens it. Anything that is not a float16,
 * float32 or float64 array, and any malformed file, raises an {@link NpyFormatException} naming the file and
 * the problem.
 *
 * <p><b>Writing</b> produces exactly the bytes {@code numpy.save} produces for the same array (little-endian,
 * C order, header padded to a multiple of 64 bytes with NumPy's spare room for growing the first axis), through
 * {@link AtomicFile}: readers see the old file or the complete new one, never a partial one.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Data starts at a multiple of this, as NumPy aligns it (so the mapping is vector-aligned too). */
    private static final int ALIGNMENT = 64;
    /** NumPy's spare header room: the first axis may grow to this many digits without moving the data. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Far above any real header (NumPy refuses more than 10000 bytes by default); guards against absurd lengths. */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final Set<String> HEADER_KEYS = Set.of("descr", "fortran_order", "shape");
    private static final long WRITE_CHUNK_BYTES = 1 << 24;

    private Npy() {
    }

    /**
     * Reads an .npy file: a zero-copy, read-only mapping when the data needs no conversion (see the class notes),
     * otherwise a converted copy. Close the tensor to unmap the file.
     *
     * @throws NpyFormatException if the file is not a valid .npy file of float16, float32 or float64 data
     * @throws IOException        if the file cannot be read
     */
    public static Tensor read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = readHeader(file, channel);
            long dataBytes = header.dataBytes();
            long available = channel.size() - header.dataOffset();
            if (available < dataBytes) {
                throw new NpyFormatException(file, "data is truncated: shape " + header.shape() + " of " + header.descr()
                        + " needs " + dataBytes + " bytes after the " + header.dataOffset() + "-byte header, but the file has "
                        + available);
            }
            if (dataBytes == 0) {
                return Tensor.allocate(header.dtype(), header.shape());
            }
            Arena mapping = Arena.ofShared();
            boolean handedOver = false;
            try {
                MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, header.dataOffset(), dataBytes, mapping);
                if (header.isZeroCopy()) {
                    Tensor mapped = Tensor.adopt(data, header.dtype(), header.shape(), mapping);
                    handedOver = true;
                    return mapped;
                }
                return convert(data, header);
            } finally {
                if (!handedOver) {
                    mapping.close();
                }
            }
        }
    }

    /**
     * Reads only the header: dtype, byte order, order and shape, without mapping the data.
     *
     * @throws NpyFormatException if the header is malformed or describes an unsupported array
     */
    static NpyHeader readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, channel);
        }
    }

    /**
     * Writes {@code tensor} as an .npy file, exactly as {@code numpy.save} would, replacing {@code file} atomically.
     *
     * @throws IllegalArgumentException if the tensor is bf16, which NumPy has no type for ({@code to(DType.F32)} first)
     * @throws IllegalStateException    if the tensor is closed
     */
    public static void write(Tensor tensor, Path file) throws IOException {
        AtomicFile.write(file, contents(tensor, file));
    }

    /**
     * Writes {@code tensor} as {@link #write} does, but only to a temporary file next to {@code file}: published
     * by {@link AtomicFile.Staged#publish()}, discarded by closing it unpublished. Files that belong together
     * (two factors) are staged first and published together, so a full disk leaves neither.
     */
    public static AtomicFile.Staged stage(Tensor tensor, Path file) throws IOException {
        return AtomicFile.stage(file, contents(tensor, file));
    }

    private static AtomicFile.Contents contents(Tensor tensor, Path file) {
        Objects.requireNonNull(file, "file");
        if (tensor.dtype() == DType.BF16) {
            throw new IllegalArgumentException("NumPy has no bfloat16 type; write tensor.to(DType.F32) to " + file + " instead");
        }
        MemorySegment data = tensor.segment();
        byte[] header = header("<" + typeCode(tensor.dtype()), tensor.shape());
        return out -> {
            writeFully(out, ByteBuffer.wrap(header));
            writeLittleEndian(out, data, tensor.dtype());
        };
    }

    /** NumPy's type code without the byte order: {@code f2}, {@code f4}, {@code f8}. */
    static String typeCode(DType dtype) {
        return switch (dtype) {
            case F16 -> "f2";
            case F32 -> "f4";
            case F64 -> "f8";
            case BF16 -> throw new IllegalArgumentException("NumPy has no bfloat16 type");
        };
    }

    /**
     * The full header NumPy writes: magic, version, length, the dict with sorted keys, spaces for growing
     * the first axis, padding to a multiple of 64, and a newline. Version 1.0 unless the header needs more
     * than 65535 bytes.
     */
    static byte[] header(String descr, Shape shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': ")
                .append(pythonTuple(shape)).append(", }");
        if (shape.rank() > 0) {
            dict.repeat(' ', Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape.dim(0)).length()));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int version = 1; ; version = 2) {
            int prefix = MAGIC.length + 2 + (version == 1 ? 2 : 4);
            int unpadded = text.length + 1; // the newline
            int padding = ALIGNMENT - (prefix + unpadded) % ALIGNMENT;
            int headerLength = unpadded + padding;
            if (version == 1 && headerLength > 0xFFFF) {
                continue;
            }
            ByteBuffer bytes = ByteBuffer.allocate(prefix + headerLength).order(ByteOrder.LITTLE_ENDIAN);
            bytes.put(MAGIC).put((byte) version).put((byte) 0);
            if (version == 1) {
                bytes.putShort((short) headerLength);
            } else {
                bytes.putInt(headerLength);
            }
            bytes.put(text);
            while (bytes.remaining() > 1) {
                bytes.put((byte) ' ');
            }
            bytes.put((byte) '\n');
            return bytes.array();
        }
    }

    private static String pythonTuple(Shape shape) {
        if (shape.rank() == 1) {
            return "(" + shape.dim(0) + ",)";
        }
        StringBuilder tuple = new StringBuilder("(");
        for (int axis = 0; axis < shape.rank(); axis++) {
            tuple.append(axis == 0 ? "" : ", ").append(shape.dim(axis));
        }
        return tuple.append(')').toString();
    }

    private static NpyHeader readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, 0);
        prefix.flip();
        if (prefix.remaining() < MAGIC.length + 4 || !startsWithMagic(prefix)) {
            throw new NpyFormatException(file, fileSize < MAGIC.length + 4
                    ? "not an .npy file: " + fileSize + " bytes is too short for the .npy header"
                    : "not an .npy file: it does not start with \\x93NUMPY");
        }
        int major = prefix.get(6) & 0xFF;
        int minor = prefix.get(7) & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(file, "unsupported .npy format version " + major + "." + minor + " (wsvd reads 1.0, 2.0 and 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        int prefixLength = MAGIC.length + 2 + lengthBytes;
        if (prefix.limit() < prefixLength) {
            throw new NpyFormatException(file, "truncated header: the file ends inside the header length");
        }
        long headerLength = major == 1 ? prefix.getShort(8) & 0xFFFF : prefix.getInt(8) & 0xFFFFFFFFL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(file, "header length " + headerLength + " is implausible (over " + MAX_HEADER_BYTES + " bytes)");
        }
        if (prefixLength + headerLength > fileSize) {
            throw new NpyFormatException(file, "truncated header: it says it is " + headerLength + " bytes, but only "
                    + (fileSize - prefixLength) + " follow");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, prefixLength);
        headerBytes.flip();
        String text;
        try {
            text = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(file, "header is not valid UTF-8");
        }
        Map<String, Object> dict;
        try {
            dict = PythonLiteral.parseDict(text);
        } catch (PythonLiteral.SyntaxException e) {
            throw new NpyFormatException(file, "header is not a Python dict literal: " + e.getMessage() + " of " + quote(text));
        }
        return interpret(file, dict, major, prefixLength + headerLength);
    }

    private static NpyHeader interpret(Path file, Map<String, Object> dict, int version, long dataOffset) throws NpyFormatException {
        for (String key : HEADER_KEYS) {
            if (!dict.containsKey(key)) {
                throw new NpyFormatException(file, "header lacks the key '" + key + "' (it has " + dict.keySet() + ")");
            }
        }
        for (String key : dict.keySet()) {
            if (!HEADER_KEYS.contains(key)) {
                throw new NpyFormatException(file, "header has an unexpected key '" + key + "' (an .npy header has descr, fortran_order and shape)");
            }
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new NpyFormatException(file, "descr is " + dict.get("descr") + "; structured arrays are not supported, only float16, float32 and float64");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new NpyFormatException(file, "fortran_order is " + dict.get("fortran_order") + ", not True or False");
        }
        if (!(dict.get("shape") instanceof PythonLiteral.Tuple(List<Object> items))) {
            throw new NpyFormatException(file, "shape is " + dict.get("shape") + ", not a tuple of integers");
        }
        long[] dims = new long[items.size()];
        for (int axis = 0; axis < dims.length; axis++) {
            if (!(items.get(axis) instanceof Long dim) || dim < 0) {
                throw new NpyFormatException(file, "shape " + items + " has " + items.get(axis) + " on axis " + axis
                        + "; dimensions are non-negative integers");
            }
            dims[axis] = dim;
        }
        Shape shape;
        try {
            shape = Shape.of(dims);
            Math.multiplyExact(shape.size(), 8L);
        } catch (ArithmeticException e) {
            throw new NpyFormatException(file, "shape " + items + " has too many elements");
        }
        ByteOrder byteOrder = byteOrder(file, descr);
        return new NpyHeader(version, dtype(file, descr), byteOrder, fortranOrder, shape, dataOffset);
    }

    private static DType dtype(Path file, String descr) throws NpyFormatException {
        String code = descr.isEmpty() ? "" : descr.substring(isOrderMark(descr.charAt(0)) ? 1 : 0);
        return switch (code) {
            case "f2", "e" -> DType.F16;
            case "f4", "f" -> DType.F32;
            case "f8", "d" -> DType.F64;
            default -> throw new NpyFormatException(file, "dtype '" + descr + "'" + describe(code)
                    + " is not supported; wsvd reads float16, float32 and float64 arrays (in NumPy: a.astype(numpy.float32))");
        };
    }

    private static ByteOrder byteOrder(Path file, String descr) throws NpyFormatException {
        char mark = descr.isEmpty() ? '?' : descr.charAt(0);
        return switch (mark) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            case '|' -> {
                dtype(file, descr); // an unsupported one-byte type gets its own message first
                throw new NpyFormatException(file, "dtype '" + descr + "' says 'not applicable' ('|') for the byte order of a multi-byte type");
            }
            default -> ByteOrder.nativeOrder(); // no mark, e.g. 'f4': NumPy reads it as native
        };
    }

    private static boolean isOrderMark(char c) {
        return c == '<' || c == '>' || c == '=' || c == '|';
    }

    private static String describe(String code) {
        if (code.isEmpty()) {
            return "";
        }
        String kind = switch (code.charAt(0)) {
            case 'O' -> "pickled Python objects";
            case 'c' -> "complex";
            case 'i' -> "signed integer";
            case 'u' -> "unsigned integer";
            case 'b' -> "boolean";
            case 'f' -> "float of an unsupported width";
            case 'U', 'S', 'a' -> "string";
            case 'V' -> "raw bytes or structured";
            case 'M', 'm' -> "datetime";
            default -> null;
        };
        return kind == null ? "" : " (" + kind + ")";
    }

    /** Copies a non-native-order or Fortran-ordered payload into an owned, native, row-major tensor. */
    private static Tensor convert(MemorySegment data, NpyHeader header) {
        DType dtype = header.dtype();
        Shape shape = header.shape();
        boolean columnMajor = header.fortranOrder() && shape.rank() > 1;
        int rank = shape.rank();
        long[] stored = new long[rank];
        int[] reverse = new int[rank];
        for (int axis = 0; axis < rank; axis++) {
            stored[axis] = columnMajor ? shape.dim(rank - 1 - axis) : shape.dim(axis);
            reverse[axis] = rank - 1 - axis;
        }
        // A column-major array of shape (d0..dn) is the row-major array of shape (dn..d0); permuting its axes back
        // gives the row-major original.
        Tensor decoded = Tensor.allocate(dtype, Shape.of(stored));
        try {
            ValueLayout fileLayout = elementLayout(dtype).withOrder(header.byteOrder());
            ValueLayout nativeLayout = elementLayout(dtype).withOrder(ByteOrder.nativeOrder());
            MemorySegment.copy(data, fileLayout, 0, decoded.segment(), nativeLayout, 0, shape.size());
            if (!columnMajor) {
                return decoded;
            }
            try (decoded) {
                return decoded.permute(reverse);
            }
        } catch (RuntimeException | Error e) {
            decoded.close();
            throw e;
        }
    }

    private static ValueLayout elementLayout(DType dtype) {
        return switch (dtype) {
            case F32 -> ValueLayout.JAVA_FLOAT_UNALIGNED;
            case F64 -> ValueLayout.JAVA_DOUBLE_UNALIGNED;
            case F16, BF16 -> ValueLayout.JAVA_SHORT_UNALIGNED;
        };
    }

    private static void writeLittleEndian(WritableByteChannel out, MemorySegment data, DType dtype) throws IOException {
        long size = data.byteSize();
        if (ByteOrder.nativeOrder().equals(ByteOrder.LITTLE_ENDIAN)) {
            for (long offset = 0; offset < size; offset += WRITE_CHUNK_BYTES) {
                writeFully(out, data.asSlice(offset, Math.min(WRITE_CHUNK_BYTES, size - offset)).asByteBuffer());
            }
            return;
        }
        ValueLayout layout = elementLayout(dtype);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment chunk = scratch.allocate(Math.min(WRITE_CHUNK_BYTES, Math.max(1, size)));
            for (long offset = 0; offset < size; offset += chunk.byteSize()) {
                long bytes = Math.min(chunk.byteSize(), size - offset);
                MemorySegment.copy(data, layout, offset, chunk, layout.withOrder(ByteOrder.LITTLE_ENDIAN), 0, bytes / layout.byteSize());
                writeFully(out, chunk.asSlice(0, bytes).asByteBuffer());
            }
        }
    }

    private static boolean startsWithMagic(ByteBuffer prefix) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                return;
            }
            position += read;
        }
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static String quote(String header) {
        String shown = header.strip();
        return "\"" + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown) + "\"";
    }
}
