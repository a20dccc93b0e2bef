package dev.wsvd.onnx.wire;

import com.google.protobuf.Descriptors.Descriptor;
import dev.wsvd.onnx.wire.Wire.Cursor;
import dev.wsvd.onnx.wire.Wire.Field;
import dev.wsvd.onnx.wire.Wire.MalformedException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a serialized model into a small protobuf <em>skeleton</em> plus payloads, without copying tensor data.
 *
 * <p>protobuf-java copies every {@code bytes} field of a direct buffer onto the heap (since 4.x it has no
 * aliasing decoder for off-heap memory), so a model read through it costs its full size in heap and a second
 * copy of every weight. This transcoder walks the wire format instead, descending only into the fields that
 * can hold tensors ({@link Schema}); each tensor's raw_data (or packed float_data / double_data, which have
 * the same little-endian layout) becomes a slice of the input, and each external-data reference a slice of
 * the mapped external file. In the skeleton the data field is replaced by a {@link Payloads#MARKER_FIELD}
 * varint holding the payload's index; everything else is copied byte for byte.
 */
final class PayloadExtractor {
    private static final int MAX_DEPTH = 100; // protobuf's own default recursion limit

    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int LOCATION_EXTERNAL = 1;

    private final MemorySegment source;
    private final Payloads payloads;
    private final ExternalFiles externalFiles;

    private PayloadExtractor(MemorySegment source, Payloads payloads, ExternalFiles externalFiles) {
        this.source = source;
        this.payloads = payloads;
        this.externalFiles = externalFiles;
    }

    /**
     * The skeleton of the ModelProto in {@code source}; payloads are appended to {@code payloads}.
     *
     * @throws MalformedException if the bytes are not a protobuf message
     */
    static byte[] extract(MemorySegment source, Payloads payloads, ExternalFiles externalFiles)
            throws MalformedException, OnnxFormatException {
        ByteSink skeleton = new ByteSink();
        new PayloadExtractor(source, payloads, externalFiles).message(Schema.MODEL, 0, source.byteSize(), skeleton, 0);
        return skeleton.toByteArray();
    }

    private void message(Descriptor type, long from, long to, ByteSink out, int depth) throws MalformedException, OnnxFormatException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("messages nested deeper than " + MAX_DEPTH + " levels");
        }
        if (type == Schema.TENSOR) {
            tensor(from, to, out);
            return;
        }
        Cursor cursor = new Cursor(source, from, to);
        while (cursor.hasMore()) {
            Field field = cursor.next();
            Descriptor child = field.wireType() == Wire.LENGTH_DELIMITED ? Schema.tensorPath(type, field.number()) : null;
            if (child == null) {
                out.write(source, field.start(), field.end());
                continue;
            }
            ByteSink nested = new ByteSink();
            message(child, field.valueStart(), field.end(), nested, depth + 1);
            out.writeTag(field.number(), Wire.LENGTH_DELIMITED);
            out.writeVarint(nested.size());
            out.write(nested);
        }
    }

    private void tensor(long from, long to, ByteSink out) throws MalformedException, OnnxFormatException {
        List<Field> fields = new ArrayList<>();
        boolean external = false;
        Cursor cursor = new Cursor(source, from, to);
        while (cursor.hasMore()) {
            Field field = cursor.next();
            if (field.number() == Payloads.MARKER_FIELD) {
                throw new MalformedException("a tensor uses field number " + Payloads.MARKER_FIELD + ", which wsvd reserves");
            }
            if (field.number() == TENSOR_DATA_LOCATION && field.wireType() == Wire.VARINT) {
                external = cursor.varintValue(field) == LOCATION_EXTERNAL;
            }
            fields.add(field);
        }
        if (external) {
            externalTensor(fields, out);
            return;
        }
        for (Field field : fields) {
            if (field.wireType() == Wire.LENGTH_DELIMITED && isPayloadField(field.number())) {
                int index = payloads.add(source.asSlice(field.valueStart(), field.valueLength()), field.number());
                out.writeTag(Payloads.MARKER_FIELD, Wire.VARINT);
                out.writeVarint(index);
            } else {
                out.write(source, field.start(), field.end());
            }
        }
    }

    private static boolean isPayloadField(int number) {
        return number == Payloads.RAW_DATA || number == Payloads.FLOAT_DATA || number == Payloads.DOUBLE_DATA;
    }

    /** An external tensor loses its external_data and data_location fields and gains a marker to the mapped bytes. */
    private void externalTensor(List<Field> fields, ByteSink out) throws MalformedException, OnnxFormatException {
        String name = "";
        String location = null;
        long offset = 0;
        long length = -1;
        int dataType = 0;
        long elements = 1;
        for (Field field : fields) {
            switch (field.number()) {
                case TENSOR_NAME -> name = string(field);
                case TENSOR_DATA_TYPE -> dataType = (int) new Cursor(source, field.valueStart(), field.end()).readVarint();
                case TENSOR_DIMS -> elements = multiplyDims(field, elements);
                case TENSOR_EXTERNAL_DATA -> {
                    Cursor entry = new Cursor(source, field.valueStart(), field.end());
                    String key = null;
                    String value = null;
                    while (entry.hasMore()) {
                        Field part = entry.next();
                        if (part.number() == 1 && part.wireType() == Wire.LENGTH_DELIMITED) {
                            key = string(part);
                        } else if (part.number() == 2 && part.wireType() == Wire.LENGTH_DELIMITED) {
                            value = string(part);
                        }
                    }
                    if (key != null && value != null) {
                        switch (key) {
                            case "location" -> location = value;
                            case "offset" -> offset = number(externalFiles.modelLabel(), name, key, value);
                            case "length" -> length = number(externalFiles.modelLabel(), name, key, value);
                            default -> { } // checksum and future keys: not needed to read the bytes
                        }
                    }
                }
                default -> { }
            }
        }
        if (location == null) {
            throw new OnnxFormatException(externalFiles.modelLabel() + ": tensor '" + name
                    + "' is marked as external data but has no 'location' entry");
        }
        if (length < 0) {
            length = ElementTypes.storageBytes(dataType, elements); // still -1 for strings: read to the end
        }
        MemorySegment bytes = externalFiles.slice(name, location, offset, length);
        int index = payloads.add(bytes, Payloads.RAW_DATA);
        for (Field field : fields) {
            if (field.number() != TENSOR_EXTERNAL_DATA && field.number() != TENSOR_DATA_LOCATION) {
                out.write(source, field.start(), field.end());
            }
        }
        out.writeTag(Payloads.MARKER_FIELD, Wire.VARINT);
        out.writeVarint(index);
    }

    private long multiplyDims(Field field, long elements) throws MalformedException {
        Cursor values = new Cursor(source, field.valueStart(), field.end());
        long product = elements;
        // one varint, or a packed run of them (some writers pack dims)
        while (values.hasMore()) {
            product *= values.readVarint();
        }
        return product;
    }

    private String string(Field field) {
        byte[] bytes = source.asSlice(field.valueStart(), field.valueLength()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long number(String model, String tensor, String key, String value) throws OnnxFormatException {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new OnnxFormatException(model + ": tensor '" + tensor + "' has external data " + key + " '" + value
                    + "', which is not a byte count");
        }
    }
}
