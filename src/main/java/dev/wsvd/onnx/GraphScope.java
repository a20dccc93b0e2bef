package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.SparseTensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One graph with the constants visible in it: its own initializers and Constant-node outputs, then those of
 * the enclosing graphs (a subgraph may use outer values by name).
 */
public final class GraphScope {
    /** A constant tensor and where it is defined. */
    public record Constant(String name, TensorProto tensor, GraphPath graph, Origin origin, int nodeIndex) {
    }

    public enum Origin {
        INITIALIZER,
        CONSTANT_NODE,
        /** a sparse initializer or sparse Constant: known to be constant, but its data is not a dense tensor */
        SPARSE
    }

    private final GraphScope parent;
    private final GraphPath path;
    private final GraphProto graph;
    private final Map<String, Constant> constants = new HashMap<>();
    private final Map<String, Integer> producers = new HashMap<>();

    public GraphScope(GraphScope parent, GraphPath path, GraphProto graph) {
        this.parent = parent;
        this.path = path;
        this.graph = graph;
        for (TensorProto initializer : graph.getInitializerList()) {
            constants.put(initializer.getName(), new Constant(initializer.getName(), initializer, path, Origin.INITIALIZER, -1));
        }
        for (SparseTensorProto sparse : graph.getSparseInitializerList()) {
            String name = sparse.getValues().getName();
            constants.put(name, new Constant(name, sparse.getValues(), path, Origin.SPARSE, -1));
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            for (String output : node.getOutputList()) {
                producers.put(output, i);
            }
            if (isStandard(node) && node.getOpType().equals("Constant") && node.getOutputCount() == 1) {
                for (AttributeProto attribute : node.getAttributeList()) {
                    if (attribute.getName().equals("value") && attribute.hasT()) {
                        constants.put(node.getOutput(0), new Constant(node.getOutput(0), attribute.getT(), path, Origin.CONSTANT_NODE, i));
                    } else if (attribute.getName().equals("sparse_value")) {
                        constants.put(node.getOutput(0), new Constant(node.getOutput(0), attribute.getSparseTensor().getValues(),
                                path, Origin.SPARSE, i));
                    }
                }
            }
        }
    }

    public static boolean isStandard(NodeProto node) {
        return node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
    }

    public GraphPath path() {
        return path;
    }

    public GraphProto graph() {
        return graph;
    }

    /** The constant named {@code name} visible here, or null if the value is computed (or a graph input). */
    public Constant constant(String name) {
        for (GraphScope scope = this; scope != null; scope = scope.parent) {
            if (scope.producers.containsKey(name) && !scope.constants.containsKey(name)) {
                return null; // computed in this scope: hides any outer constant of the same name
            }
            Constant constant = scope.constants.get(name);
            if (constant != null) {
                return constant;
            }
        }
        return null;
    }

    /** The node producing {@code name} in this graph or an enclosing one, or null. */
    public NodeProto producer(String name) {
        for (GraphScope scope = this; scope != null; scope = scope.parent) {
            Integer index = scope.producers.get(name);
            if (index != null) {
                return scope.graph.getNode(index);
            }
        }
        return null;
    }

    /** Visits this graph and every subgraph nested in its nodes' attributes, parents first. */
    public void visit(Consumer<GraphScope> visitor) {
        visitor.accept(this);
        for (GraphScope child : children()) {
            child.visit(visitor);
        }
    }

    public List<GraphScope> children() {
        List<GraphScope> children = new ArrayList<>();
        for (int n = 0; n < graph.getNodeCount(); n++) {
            NodeProto node = graph.getNode(n);
            for (int a = 0; a < node.getAttributeCount(); a++) {
                AttributeProto attribute = node.getAttribute(a);
                if (attribute.hasG()) {
                    children.add(new GraphScope(this, path.child(n, a, -1), attribute.getG()));
                }
                for (int g = 0; g < attribute.getGraphsCount(); g++) {
                    children.add(new GraphScope(this, path.child(n, a, g), attribute.getGraphs(g)));
                }
            }
        }
        return children;
    }
}
