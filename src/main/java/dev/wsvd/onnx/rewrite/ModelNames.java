package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.GraphPath;
import dev.wsvd.onnx.GraphScope;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.SparseTensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import java.util.HashSet;
import java.util.Set;

/** Every node and value name used anywhere in a model, to hand out new names that clash with none. */
final class ModelNames {
    private final Set<String> nodes = new HashSet<>();
    private final Set<String> values = new HashSet<>();

    ModelNames(GraphProto main) {
        new GraphScope(null, GraphPath.MAIN, main).visit(scope -> collect(scope.graph()));
    }

    private void collect(GraphProto graph) {
        for (NodeProto node : graph.getNodeList()) {
            nodes.add(node.getName());
            values.addAll(node.getInputList());
            values.addAll(node.getOutputList());
        }
        graph.getInitializerList().stream().map(TensorProto::getName).forEach(values::add);
        graph.getSparseInitializerList().stream().map(SparseTensorProto::getValues).map(TensorProto::getName).forEach(values::add);
        graph.getInputList().stream().map(ValueInfoProto::getName).forEach(values::add);
        graph.getOutputList().stream().map(ValueInfoProto::getName).forEach(values::add);
        graph.getValueInfoList().stream().map(ValueInfoProto::getName).forEach(values::add);
    }

    /** {@code wanted}, or {@code wanted#2}, {@code wanted#3}... if another node has that name. */
    String newNode(String wanted) {
        return claim(nodes, wanted);
    }

    /** {@code wanted}, or a suffixed variant if a value (initializer, input, output...) has that name. */
    String newValue(String wanted) {
        return claim(values, wanted);
    }

    private static String claim(Set<String> taken, String wanted) {
        String name = wanted;
        for (int suffix = 2; taken.contains(name); suffix++) {
            name = wanted + "#" + suffix;
        }
        taken.add(name);
        return name;
    }
}
