package dev.wsvd;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for tests, straight in protobuf wire format: only the handful of ModelProto fields
 * a graph of standard operators needs (field numbers from onnx.proto). Tests build models whose outputs they
 * know by construction, without a Python toolchain or a generated ONNX binding.
 */
final class TinyOnnx {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    static TinyOnnx graph() {
        return new TinyOnnx();
    }

    /** A float input; each dimension is a size (Integer/Long) or a symbolic name (String). */
    TinyOnnx input(String name, Object... dims) {
        inputs.add(valueInfo(name, FLOAT, dims));
        return this;
    }

    TinyOnnx int64Input(String name, Object... dims) {
        inputs.add(valueInfo(name, INT64, dims));
        return this;
    }

    /** A float output; each dimension is a size (Integer/Long) or a symbolic name (String). */
    TinyOnnx output(String name, Object... dims) {
        outputs.add(valueInfo(name, FLOAT, dims));
        return this;
    }

    /** A float32 initializer stored as raw little-endian bytes. */
    TinyOnnx initializer(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        initializers.add(message(out -> {
            for (long d : dims) {
                out.writeInt64(1, d);
            }
            out.writeInt32(2, FLOAT);
            out.writeString(8, name);
            out.writeByteArray(9, raw.array());
        }));
        return this;
    }

    /** A node of a standard-domain operator, with optional integer attributes given as name, value pairs. */
    TinyOnnx node(String opType, List<String> nodeInputs, List<String> nodeOutputs, Object... intAttributes) {
        nodes.add(message(out -> {
            for (String input : nodeInputs) {
                out.writeString(1, input);
            }
            for (String output : nodeOutputs) {
                out.writeString(2, output);
            }
            out.writeString(3, opType + "_" + nodes.size());
            out.writeString(4, opType);
            for (int i = 0; i < intAttributes.length; i += 2) {
                String attributeName = (String) intAttributes[i];
                long value = ((Number) intAttributes[i + 1]).longValue();
                out.writeByteArray(5, message(attribute -> {
                    attribute.writeString(1, attributeName);
                    attribute.writeInt64(3, value);
                    attribute.writeInt32(20, 2); // AttributeType INT
                }));
            }
        }));
        return this;
    }

    /** The serialized ModelProto (IR version 8, default-domain opset 13). */
    byte[] toBytes() {
        byte[] graph = message(out -> {
            for (byte[] node : nodes) {
                out.writeByteArray(1, node);
            }
            out.writeString(2, "tiny");
            for (byte[] initializer : initializers) {
                out.writeByteArray(5, initializer);
            }
            for (byte[] input : inputs) {
                out.writeByteArray(11, input);
            }
            for (byte[] output : outputs) {
                out.writeByteArray(12, output);
            }
        });
        return message(out -> {
            out.writeInt64(1, 8);
            out.writeString(2, "wsvd-tests");
            out.writeByteArray(7, graph);
            out.writeByteArray(8, message(opset -> {
                opset.writeString(1, "");
                opset.writeInt64(2, 13);
            }));
        });
    }

    ModelSource toSource() {
        return ModelSource.of(toBytes());
    }

    private static byte[] valueInfo(String name, int elementType, Object... dims) {
        byte[] shape = message(out -> {
            for (Object dim : dims) {
                out.writeByteArray(1, message(dimension -> {
                    if (dim instanceof String symbol) {
                        dimension.writeString(2, symbol);
                    } else {
                        dimension.writeInt64(1, ((Number) dim).longValue());
                    }
                }));
            }
        });
        byte[] tensorType = message(out -> {
            out.writeInt32(1, elementType);
            out.writeByteArray(2, shape);
        });
        return message(out -> {
            out.writeString(1, name);
            out.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
        });
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
