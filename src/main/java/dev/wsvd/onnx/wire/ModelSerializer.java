package dev.wsvd.onnx.wire;

import com.google.protobuf.Descriptors.Descriptor;
import dev.wsvd.onnx.wire.Wire.Cursor;
import dev.wsvd.onnx.wire.Wire.Field;
import dev.wsvd.onnx.wire.Wire.MalformedException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The inverse of {@link PayloadExtractor}: serializes a skeleton model with its payloads back into the ONNX
 * format, each payload either inline (in the field it came from: raw_data, float_data or double_data) or in an
 * external data file. The output is a {@link Rope} that refers to the payloads rather than copying them.
 *
 * <p>A payload is placed where protobuf's canonical field order puts it, so a model read and written without
 * changes comes out byte for byte as a protobuf serializer (which writes fields in number order) wrote it.
 */
final class ModelSerializer {
    /** Where externalized payloads go; null for an all-inline model. */
    interface ExternalData {
        /** Whether a payload of this size goes to the external file rather than inline. */
        boolean externalizes(long byteSize);

        /** Appends {@code bytes} to the external file and returns their offset in it. */
        long append(MemorySegment bytes);

        /** The location entry written into the model (a file name relative to the model's folder). */
        String location();
    }

    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;

    private final MemorySegment skeleton;
    private final Payloads payloads;
    private final ExternalData external;

    private ModelSerializer(MemorySegment skeleton, Payloads payloads, ExternalData external) {
        this.skeleton = skeleton;
        this.payloads = payloads;
        this.external = external;
    }

    static Rope serialize(byte[] skeleton, Payloads payloads, ExternalData external) {
        MemorySegment bytes = MemorySegment.ofArray(skeleton);
        Rope out = new Rope();
        try {
            new ModelSerializer(bytes, payloads, external).message(Schema.MODEL, 0, bytes.byteSize(), out);
        } catch (MalformedException e) {
            // the skeleton was produced by protobuf-java from a parsed model: it cannot be malformed
            throw new IllegalStateException("internal error: unreadable model skeleton: " + e.getMessage(), e);
        }
        return out;
    }

    private void message(Descriptor type, long from, long to, Rope out) throws MalformedException {
        if (type == Schema.TENSOR) {
            tensor(from, to, out);
            return;
        }
        Cursor cursor = new Cursor(skeleton, from, to);
        while (cursor.hasMore()) {
            Field field = cursor.next();
            Descriptor child = field.wireType() == Wire.LENGTH_DELIMITED ? Schema.tensorPath(type, field.number()) : null;
            if (child == null) {
                out.sink().write(skeleton, field.start(), field.end());
                continue;
            }
            Rope nested = new Rope();
            message(child, field.valueStart(), field.end(), nested);
            out.sink().writeTag(field.number(), Wire.LENGTH_DELIMITED);
            out.sink().writeVarint(nested.size());
            out.append(nested);
        }
    }

    private void tensor(long from, long to, Rope out) throws MalformedException {
        List<Field> fields = new ArrayList<>();
        List<Payloads.Payload> pending = new ArrayList<>();
        Cursor cursor = new Cursor(skeleton, from, to);
        while (cursor.hasMore()) {
            Field field = cursor.next();
            if (field.number() == Payloads.MARKER_FIELD) {
                pending.add(payloads.get(Math.toIntExact(cursor.varintValue(field))));
            } else {
                fields.add(field);
            }
        }
        for (Field field : fields) {
            while (!pending.isEmpty() && placement(pending.getFirst()) < field.number()) {
                writePayload(pending.removeFirst(), out);
            }
            out.sink().write(skeleton, field.start(), field.end());
        }
        while (!pending.isEmpty()) {
            writePayload(pending.removeFirst(), out);
        }
    }

    /** The field number whose canonical position the payload takes. */
    private int placement(Payloads.Payload payload) {
        return isExternal(payload) ? TENSOR_EXTERNAL_DATA : payload.sourceField();
    }

    private boolean isExternal(Payloads.Payload payload) {
        return external != null && external.externalizes(payload.bytes().byteSize());
    }

    private void writePayload(Payloads.Payload payload, Rope out) {
        MemorySegment bytes = payload.bytes();
        if (!isExternal(payload)) {
            out.sink().writeTag(payload.sourceField(), Wire.LENGTH_DELIMITED);
            out.sink().writeVarint(bytes.byteSize());
            out.append(bytes);
            return;
        }
        long offset = external.append(bytes);
        entry(out.sink(), "location", external.location());
        entry(out.sink(), "offset", Long.toString(offset));
        entry(out.sink(), "length", Long.toString(bytes.byteSize()));
        out.sink().writeTag(TENSOR_DATA_LOCATION, Wire.VARINT);
        out.sink().writeVarint(1); // EXTERNAL
    }

    private static void entry(ByteSink sink, String key, String value) {
        ByteSink entry = new ByteSink();
        entry.writeString(1, key);
        entry.writeString(2, value);
        sink.writeTag(TENSOR_EXTERNAL_DATA, Wire.LENGTH_DELIMITED);
        sink.writeVarint(entry.size());
        sink.write(entry);
    }
}
