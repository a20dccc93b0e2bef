package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.GraphPath;
import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;

/**
 * Rebuilds a graph tree bottom-up: every subgraph (node attributes, to any depth) is transformed first, then
 * the graph holding it, so a transformation sees its own nodes at their original indices. Graphs a
 * transformation leaves alone keep their instances, so untouched parts serialize exactly as they were.
 */
final class GraphTransform {
    interface Step {
        GraphProto apply(GraphPath path, GraphProto graph);
    }

    private GraphTransform() {
    }

    static GraphProto apply(GraphProto graph, GraphPath path, Step step) {
        GraphProto.Builder rebuilt = null;
        for (int n = 0; n < graph.getNodeCount(); n++) {
            NodeProto node = graph.getNode(n);
            NodeProto.Builder newNode = null;
            for (int a = 0; a < node.getAttributeCount(); a++) {
                AttributeProto attribute = node.getAttribute(a);
                AttributeProto.Builder newAttribute = null;
                if (attribute.hasG()) {
                    GraphProto child = apply(attribute.getG(), path.child(n, a, -1), step);
                    if (child != attribute.getG()) {
                        newAttribute = attribute.toBuilder().setG(child);
                    }
                }
                for (int g = 0; g < attribute.getGraphsCount(); g++) {
                    GraphProto child = apply(attribute.getGraphs(g), path.child(n, a, g), step);
                    if (child != attribute.getGraphs(g)) {
                        newAttribute = (newAttribute != null ? newAttribute : attribute.toBuilder()).setGraphs(g, child);
                    }
                }
                if (newAttribute != null) {
                    newNode = (newNode != null ? newNode : node.toBuilder()).setAttribute(a, newAttribute);
                }
            }
            if (newNode != null) {
                rebuilt = (rebuilt != null ? rebuilt : graph.toBuilder()).setNode(n, newNode);
            }
        }
        return step.apply(path, rebuilt != null ? rebuilt.build() : graph);
    }
}
