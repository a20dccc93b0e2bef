package dev.wsvd.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An input tensor for {@link ModelSession#run}, over memory its creator owns: ONNX Runtime reads it in place on
 * every run, so a feed prepared once serves every evaluation. Keep the memory alive and unchanged until the feed
 * is closed.
 */
public final class Feed implements AutoCloseable {
    private final OnnxTensor tensor;

    private Feed(OnnxTensor tensor) {
        this.tensor = tensor;
    }

    /** An int64 tensor of {@code shape} over {@code values} (native order, as many longs as the shape holds). */
    public static Feed int64(MemorySegment values, long[] shape) throws SessionException {
        return create(values, shape, OnnxJavaType.INT64);
    }

    /** A float32 tensor of {@code shape} over {@code values}. */
    public static Feed float32(MemorySegment values, long[] shape) throws SessionException {
        return create(values, shape, OnnxJavaType.FLOAT);
    }

    /** A tensor over {@code tensor}'s own memory, of its shape and type (F32, F64, F16 or BF16). */
    public static Feed of(Tensor tensor) throws SessionException {
        OnnxJavaType type = switch (tensor.dtype()) {
            case F32 -> OnnxJavaType.FLOAT;
            case F64 -> OnnxJavaType.DOUBLE;
            case F16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
        };
        return create(tensor.segment(), tensor.shape().toArray(), type);
    }

    /**
     * A tensor of zeros (empty strings for a string tensor) of {@code shape}, its memory owned by the feed: what a
     * run that only measures shapes feeds.
     *
     * @param elementType the element type in ONNX's lower-case spelling, as {@link ValueInfo#elementType()}
     *                    ({@code float}, {@code int64}, {@code bool}, ...)
     * @throws IllegalArgumentException if ONNX Runtime's Java API cannot create tensors of that type
     */
    public static Feed zeros(String elementType, long[] shape) throws SessionException {
        int count = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        OnnxJavaType type = javaType(elementType);
        if (type != OnnxJavaType.STRING) {
            // a direct buffer starts zeroed; the tensor keeps it alive
            return create(MemorySegment.ofBuffer(ByteBuffer.allocateDirect(Math.multiplyExact(count, type.size))), shape, type);
        }
        String[] empty = new String[count];
        Arrays.fill(empty, "");
        try {
            return new Feed(OnnxTensor.createTensor(ModelSession.environment(), empty, shape.clone()));
        } catch (OrtException e) {
            throw new SessionException("cannot create a string tensor of shape " + Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    private static OnnxJavaType javaType(String elementType) {
        return switch (elementType) {
            case "float" -> OnnxJavaType.FLOAT;
            case "double" -> OnnxJavaType.DOUBLE;
            case "int8" -> OnnxJavaType.INT8;
            case "uint8" -> OnnxJavaType.UINT8;
            case "int16" -> OnnxJavaType.INT16;
            case "int32" -> OnnxJavaType.INT32;
            case "int64" -> OnnxJavaType.INT64;
            case "bool" -> OnnxJavaType.BOOL;
            case "float16" -> OnnxJavaType.FLOAT16;
            case "bfloat16" -> OnnxJavaType.BFLOAT16;
            case "string" -> OnnxJavaType.STRING;
            default -> throw new IllegalArgumentException("ONNX Runtime's Java API cannot create " + elementType + " tensors");
        };
    }

    private static Feed create(MemorySegment values, long[] shape, OnnxJavaType type) throws SessionException {
        try {
            return new Feed(OnnxTensor.createTensor(ModelSession.environment(),
                    values.asByteBuffer().order(ByteOrder.nativeOrder()), shape.clone(), type));
        } catch (OrtException e) {
            throw new SessionException("cannot create an input tensor of shape " + Arrays.toString(shape) + ": "
                    + e.getMessage(), e);
        }
    }

    OnnxTensor tensor() {
        return tensor;
    }

    /** The tensor's dimensions. */
    long[] shape() {
        return tensor.getInfo().getShape();
    }

    /** The tensor's element type. */
    OnnxJavaType type() {
        return tensor.getInfo().type;
    }

    /** Releases ONNX Runtime's view; the memory itself stays with its owner. */
    @Override
    public void close() {
        tensor.close();
    }
}
