package dev.wsvd.onnx.wire;

import com.google.protobuf.UnknownFieldSet;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reads floating-point tensors out of skeleton TensorProtos and makes new ones. A payload in the ONNX byte
 * order (little-endian) on a little-endian machine is wrapped, not copied: the tensor is a view of the mapped
 * file. Typed fields (float_data that was not packed, int32_data holding float16 bit patterns) are copied.
 */
final class TensorCodec {
    private static final boolean NATIVE_IS_ONNX_ORDER = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private TensorCodec() {
    }

    static Shape shapeOf(TensorProto tensor) {
        long[] dims = new long[tensor.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tensor.getDims(i);
        }
        return Shape.of(dims);
    }

    /** The payload index a skeleton tensor refers to, or -1 when its data is in the proto itself. */
    static int payloadIndex(TensorProto tensor) {
        UnknownFieldSet.Field marker = tensor.getUnknownFields().getField(Payloads.MARKER_FIELD);
        List<Long> indices = marker.getVarintList();
        return indices.isEmpty() ? -1 : Math.toIntExact(indices.getFirst());
    }

    /**
     * The elements of a FLOAT, DOUBLE, FLOAT16 or BFLOAT16 tensor in its own type: a borrowed view of the
     * payload where possible, an owned copy otherwise.
     *
     * @throws OnnxFormatException if the data is missing or disagrees with the shape
     */
    static Tensor read(TensorProto tensor, Payloads payloads, String context) throws OnnxFormatException {
        DType dtype = ElementTypes.floatingType(tensor.getDataType()).orElseThrow(() -> new OnnxFormatException(
                context + ": tensor '" + tensor.getName() + "' holds " + ElementTypes.name(tensor.getDataType())
                        + " elements, not floating-point ones"));
        Shape shape;
        try {
            shape = shapeOf(tensor);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new OnnxFormatException(context + ": tensor '" + tensor.getName() + "' has an invalid shape " + tensor.getDimsList());
        }
        int payload = payloadIndex(tensor);
        if (payload >= 0) {
            if (tensor.getUnknownFields().getField(Payloads.MARKER_FIELD).getVarintList().size() > 1) {
                throw new OnnxFormatException(context + ": tensor '" + tensor.getName() + "' stores its elements in more than one field");
            }
            return fromPayload(payloads.get(payload).bytes(), dtype, shape, tensor.getName(), context);
        }
        long count = shape.size();
        switch (dtype) {
            case F32 -> {
                checkCount(tensor.getFloatDataCount(), count, tensor, context);
                float[] values = new float[tensor.getFloatDataCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = tensor.getFloatData(i);
                }
                return Tensor.ofFloats(shape, values);
            }
            case F64 -> {
                checkCount(tensor.getDoubleDataCount(), count, tensor, context);
                double[] values = new double[tensor.getDoubleDataCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = tensor.getDoubleData(i);
                }
                return Tensor.ofDoubles(shape, values);
            }
            case F16, BF16 -> {
                // int32_data holds one 16-bit pattern per element
                checkCount(tensor.getInt32DataCount(), count, tensor, context);
                Tensor result = Tensor.allocate(dtype, shape);
                MemorySegment target = result.segment();
                for (int i = 0; i < count; i++) {
                    target.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) tensor.getInt32Data(i));
                }
                return result;
            }
        }
        throw new AssertionError(dtype);
    }

    private static Tensor fromPayload(MemorySegment bytes, DType dtype, Shape shape, String name, String context)
            throws OnnxFormatException {
        long expected = shape.size() * dtype.byteSize();
        if (bytes.byteSize() != expected) {
            throw new OnnxFormatException(context + ": tensor '" + name + "' of shape " + shape + " needs " + expected
                    + " bytes of " + dtype + " data but has " + bytes.byteSize());
        }
        if (NATIVE_IS_ONNX_ORDER) {
            return Tensor.wrap(bytes, dtype, shape);
        }
        Tensor copy = Tensor.allocate(dtype, shape);
        ValueLayout element = switch (dtype.byteSize()) {
            case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED;
            case 4 -> ValueLayout.JAVA_INT_UNALIGNED;
            default -> ValueLayout.JAVA_LONG_UNALIGNED;
        };
        MemorySegment.copy(bytes, element.withOrder(ByteOrder.LITTLE_ENDIAN), 0, copy.segment(), element, 0, shape.size());
        return copy;
    }

    private static void checkCount(int actual, long expected, TensorProto tensor, String context) throws OnnxFormatException {
        if (actual != expected) {
            throw new OnnxFormatException(context + ": tensor '" + tensor.getName() + "' of shape " + shapeOf(tensor)
                    + " should hold " + expected + " elements but holds " + actual);
        }
    }

    /**
     * A new skeleton tensor named {@code name} holding {@code values} converted to {@code storage}; the
     * converted bytes are copied into the payload table's memory, so {@code values} may be closed afterwards.
     */
    static TensorProto write(String name, Tensor values, DType storage, Payloads payloads) {
        MemorySegment bytes = payloads.arena().allocate(values.shape().size() * storage.byteSize(), 64);
        try (Tensor converted = values.dtype() == storage ? null : values.to(storage)) {
            MemorySegment source = converted != null ? converted.segment() : values.segment();
            if (NATIVE_IS_ONNX_ORDER) {
                MemorySegment.copy(source, 0, bytes, 0, bytes.byteSize());
            } else {
                ValueLayout element = switch (storage.byteSize()) {
                    case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED;
                    case 4 -> ValueLayout.JAVA_INT_UNALIGNED;
                    default -> ValueLayout.JAVA_LONG_UNALIGNED;
                };
                MemorySegment.copy(source, element, 0, bytes, element.withOrder(ByteOrder.LITTLE_ENDIAN), 0, values.shape().size());
            }
        }
        int index = payloads.add(bytes, Payloads.RAW_DATA);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(ElementTypes.onnxType(storage));
        for (long dim : values.shape().toArray()) {
            tensor.addDims(dim);
        }
        return tensor.setUnknownFields(marker(index)).build();
    }

    static UnknownFieldSet marker(int index) {
        return UnknownFieldSet.newBuilder()
                .addField(Payloads.MARKER_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(index).build())
                .build();
    }
}
