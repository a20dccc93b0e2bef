package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a graph sits in a model: the main graph, or a graph attribute (If branches, Loop and Scan bodies) of a
 * node in an enclosing graph, to any depth. Each step is a node index, the attribute's index on that node and,
 * for a {@code graphs} list attribute, the graph's index in it (-1 for a single {@code g}).
 */
public record GraphPath(List<Step> steps) {
    public static final GraphPath MAIN = new GraphPath(List.of());

    public record Step(int node, int attribute, int listIndex) {
    }

    public GraphPath {
        steps = List.copyOf(steps);
    }

    public GraphPath child(int node, int attribute, int listIndex) {
        List<Step> longer = new ArrayList<>(steps);
        longer.add(new Step(node, attribute, listIndex));
        return new GraphPath(longer);
    }

    /** The enclosing graph's path; the main graph has none. */
    public GraphPath parent() {
        if (steps.isEmpty()) {
            throw new IllegalStateException("the main graph has no enclosing graph");
        }
        return new GraphPath(steps.subList(0, steps.size() - 1));
    }

    public boolean isMain() {
        return steps.isEmpty();
    }

    /** How users read it: {@code main graph}, or {@code then_branch of If 'check'}, nested with " > ". */
    public String describe(GraphProto main) {
        if (steps.isEmpty()) {
            return "main graph";
        }
        StringBuilder text = new StringBuilder();
        GraphProto graph = main;
        for (Step step : steps) {
            NodeProto node = graph.getNode(step.node());
            AttributeProto attribute = node.getAttribute(step.attribute());
            if (!text.isEmpty()) {
                text.append(" > ");
            }
            text.append(attribute.getName());
            if (step.listIndex() >= 0) {
                text.append('[').append(step.listIndex()).append(']');
            }
            text.append(" of ").append(node.getOpType()).append(" '")
                    .append(node.getName().isEmpty() ? "#" + step.node() : node.getName()).append('\'');
            graph = step.listIndex() < 0 ? attribute.getG() : attribute.getGraphs(step.listIndex());
        }
        return text.toString();
    }
}
