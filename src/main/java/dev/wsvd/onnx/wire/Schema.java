package dev.wsvd.onnx.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.wsvd.onnx.proto.Onnx;
import java.util.HashSet;
import java.util.Set;

/** Which ONNX message types can (transitively) contain a TensorProto: the paths the transcoders descend. */
final class Schema {
    static final Descriptor MODEL = Onnx.ModelProto.getDescriptor();
    static final Descriptor TENSOR = Onnx.TensorProto.getDescriptor();

    private static final Set<Descriptor> HOLDING_TENSORS = holdersOf(TENSOR);

    private Schema() {
    }

    /** Whether a field of this type may hold a tensor somewhere inside, so the transcoders must look into it. */
    static boolean holdsTensors(Descriptor type) {
        return HOLDING_TENSORS.contains(type);
    }

    /** The message field declared as {@code number} in {@code type} that leads to tensors, or null. */
    static Descriptor tensorPath(Descriptor type, int number) {
        FieldDescriptor field = type.findFieldByNumber(number);
        if (field == null || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return null;
        }
        Descriptor child = field.getMessageType();
        return holdsTensors(child) ? child : null;
    }

    private static Set<Descriptor> holdersOf(Descriptor target) {
        Set<Descriptor> all = new HashSet<>();
        collect(MODEL, all);
        Set<Descriptor> holders = new HashSet<>(Set.of(target));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Descriptor type : all) {
                if (!holders.contains(type) && type.getFields().stream().anyMatch(
                        f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && holders.contains(f.getMessageType()))) {
                    holders.add(type);
                    grew = true;
                }
            }
        }
        return holders;
    }

    private static void collect(Descriptor type, Set<Descriptor> seen) {
        if (!seen.add(type)) {
            return;
        }
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                collect(field.getMessageType(), seen);
            }
        }
    }
}
