package dev.wsvd.onnx.wire;

import dev.wsvd.onnx.proto.Onnx.TensorProto.DataType;
import dev.wsvd.tensor.DType;
import java.util.Optional;

/** ONNX element types: names, storage sizes and the tensor {@link DType} a floating type maps to. */
public final class ElementTypes {
    private ElementTypes() {
    }

    /** The format's name for a data_type number ({@code FLOAT16}), or {@code type 42} for numbers this build does not know. */
    public static String name(int dataType) {
        DataType known = DataType.forNumber(dataType);
        return known != null ? known.name() : "type " + dataType;
    }

    /** The tensor type of a floating-point ONNX type wsvd can factor, if any. */
    public static Optional<DType> floatingType(int dataType) {
        return Optional.ofNullable(switch (DataType.forNumber(dataType)) {
            case FLOAT -> DType.F32;
            case DOUBLE -> DType.F64;
            case FLOAT16 -> DType.F16;
            case BFLOAT16 -> DType.BF16;
            case null, default -> null;
        });
    }

    public static int onnxType(DType dtype) {
        return switch (dtype) {
            case F32 -> DataType.FLOAT_VALUE;
            case F64 -> DataType.DOUBLE_VALUE;
            case F16 -> DataType.FLOAT16_VALUE;
            case BF16 -> DataType.BFLOAT16_VALUE;
        };
    }

    /** Integer types as weights mean a quantized layer. */
    public static boolean isInteger(int dataType) {
        return switch (DataType.forNumber(dataType)) {
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, INT4, UINT4, INT2, UINT2 -> true;
            case FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT4E2M1, FLOAT8E8M0 -> true; // block-quantized storage
            case null, default -> false;
        };
    }

    /** Bytes of {@code count} elements in raw_data / external data, or -1 for variable-width types (strings). */
    public static long storageBytes(int dataType, long count) {
        DataType type = DataType.forNumber(dataType);
        if (type == null) {
            return -1;
        }
        return switch (type) {
            case BOOL, INT8, UINT8, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0 -> count;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2 * count;
            case FLOAT, INT32, UINT32 -> 4 * count;
            case DOUBLE, INT64, UINT64, COMPLEX64 -> 8 * count;
            case COMPLEX128 -> 16 * count;
            case INT4, UINT4, FLOAT4E2M1 -> (count + 1) / 2;
            case INT2, UINT2 -> (count + 3) / 4;
            case STRING, UNDEFINED -> -1;
        };
    }
}
