package dev.wsvd.onnx;

import com.google.protobuf.ByteString;
import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.OperatorSetIdProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorShapeProto;
import dev.wsvd.onnx.proto.Onnx.TypeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Builds small ONNX graphs in tests, the way an exporter writes them (raw_data little-endian tensors). */
public final class Graphs {
    public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    public static final int FLOAT16 = TensorProto.DataType.FLOAT16_VALUE;
    public static final int INT8 = TensorProto.DataType.INT8_VALUE;
    public static final int INT64 = TensorProto.DataType.INT64_VALUE;
    public static final int BOOL = TensorProto.DataType.BOOL_VALUE;

    private Graphs() {
    }

    public static ModelProto model(GraphProto graph, long opset) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("wsvd-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    public static NodeProto node(String op, String name, String[] inputs, String[] outputs, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String input : inputs) {
            node.addInput(input);
        }
        for (String output : outputs) {
            node.addOutput(output);
        }
        for (AttributeProto attribute : attributes) {
            node.addAttribute(attribute);
        }
        return node.build();
    }

    public static String[] in(String... names) {
        return names;
    }

    public static String[] out(String... names) {
        return names;
    }

    public static AttributeProto ints(String name, long... values) {
        return Attributes.ofInts(name, values);
    }

    public static AttributeProto integer(String name, long value) {
        return Attributes.ofInt(name, value);
    }

    public static AttributeProto real(String name, float value) {
        return Attributes.ofFloat(name, value);
    }

    public static AttributeProto graph(String name, GraphProto graph) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(graph).build();
    }

    public static AttributeProto tensor(String name, TensorProto tensor) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(tensor).build();
    }

    /** A FLOAT tensor in raw_data. */
    public static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return tensor(name, dims, FLOAT, bytes.array());
    }

    /** A FLOAT16 tensor in raw_data (values rounded to half precision). */
    public static TensorProto halves(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putShort(Float.floatToFloat16(value));
        }
        return tensor(name, dims, FLOAT16, bytes.array());
    }

    public static TensorProto tensor(String name, long[] dims, int dataType, byte[] raw) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(dataType).setRawData(ByteString.copyFrom(raw));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    /** A value of element type {@code type}; a null dim is symbolic (named {@code d<i>}), a string dim a named symbol. */
    public static ValueInfoProto value(String name, int type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            Object dim = dims[i];
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Number number) {
                d.setDimValue(number.longValue());
            } else {
                d.setDimParam(dim == null ? "d" + i : dim.toString());
            }
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape)))
                .build();
    }

    /** A value with element type but no shape: what exporters write for outputs whose shape they do not know. */
    public static ValueInfoProto untyped(String name, int type) {
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type)))
                .build();
    }

    public static float[] random(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    public static long[] dims(long... dims) {
        return dims;
    }
}
