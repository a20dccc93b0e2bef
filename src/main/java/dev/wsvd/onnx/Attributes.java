package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;

/** Typed lookups of node attributes with the defaults the operator specifications give, and new attributes. */
public final class Attributes {
    private Attributes() {
    }

    public static AttributeProto find(NodeProto node, String name) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return attribute;
            }
        }
        return null;
    }

    public static long integer(NodeProto node, String name, long fallback) {
        AttributeProto attribute = find(node, name);
        return attribute != null && attribute.hasI() ? attribute.getI() : fallback;
    }

    public static float real(NodeProto node, String name, float fallback) {
        AttributeProto attribute = find(node, name);
        return attribute != null && attribute.hasF() ? attribute.getF() : fallback;
    }

    public static String string(NodeProto node, String name, String fallback) {
        AttributeProto attribute = find(node, name);
        return attribute != null && attribute.hasS() ? attribute.getS().toStringUtf8() : fallback;
    }

    /** The ints of a list attribute, or {@code fallback} when absent. */
    public static long[] integers(NodeProto node, String name, long[] fallback) {
        AttributeProto attribute = find(node, name);
        if (attribute == null || attribute.getIntsCount() == 0) {
            return fallback;
        }
        return attribute.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    public static AttributeProto ofInt(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto ofFloat(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto ofInts(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }
}
