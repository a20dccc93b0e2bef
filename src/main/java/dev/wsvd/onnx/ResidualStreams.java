package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds where a layer writes into a residual stream, by the shape of the graph alone (no names): the layer's output,
 * after its bias {@code Add} if it has one (an {@code Add} of a constant), goes only into an {@code Add} whose other
 * operand is an earlier value (a graph input, or computed by a node before the layer's). That operand is the
 * residual: the stream the layer's contribution is added to (a transformer's attention-output and FFN-output
 * projections, a ResNet's last layer of a block). Main graph only.
 */
public final class ResidualStreams {
    private ResidualStreams() {
    }

    /** The residual {@code layer}'s output is added to, or empty when the pattern is not there. */
    public static Optional<String> residualOf(OnnxModel model, OnnxLayer layer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(layer, "layer");
        if (layer.inSubgraph()) {
            return Optional.empty();
        }
        LayerSite site = model.site(layer);
        GraphProto graph = model.wire().skeleton().getGraph();
        Map<String, List<Integer>> consumers = new HashMap<>();
        Map<String, Integer> producers = new HashMap<>();
        Set<String> constants = new HashSet<>();
        graph.getInitializerList().forEach(tensor -> constants.add(tensor.getName()));
        for (int n = 0; n < graph.getNodeCount(); n++) {
            NodeProto node = graph.getNode(n);
            for (String input : node.getInputList()) {
                consumers.computeIfAbsent(input, v -> new ArrayList<>()).add(n);
            }
            for (String output : node.getOutputList()) {
                producers.put(output, n);
            }
            if (node.getOpType().equals("Constant") && GraphScope.isStandard(node)) {
                constants.addAll(node.getOutputList());
            }
        }
        Set<String> graphOutputs = new HashSet<>();
        graph.getOutputList().forEach(output -> graphOutputs.add(output.getName()));
        Set<String> graphInputs = new HashSet<>();
        graph.getInputList().forEach(input -> graphInputs.add(input.getName()));
        graphInputs.removeAll(constants);

        String value = site.node().getOutput(0);
        NodeProto add = onlyAddConsumer(graph, consumers, graphOutputs, value);
        if (add != null && constants.contains(otherOperand(add, value))) {
            value = add.getOutput(0); // the bias Add: the layer's output is what comes out of it
            add = onlyAddConsumer(graph, consumers, graphOutputs, value);
        }
        if (add == null) {
            return Optional.empty();
        }
        String residual = otherOperand(add, value);
        if (residual == null || constants.contains(residual)) {
            return Optional.empty();
        }
        boolean earlier = graphInputs.contains(residual)
                || producers.containsKey(residual) && producers.get(residual) < site.nodeIndex();
        return earlier ? Optional.of(residual) : Optional.empty();
    }

    /** The one node reading {@code value} when it is a standard two-input {@code Add} and {@code value} is no graph output. */
    private static NodeProto onlyAddConsumer(GraphProto graph, Map<String, List<Integer>> consumers, Set<String> graphOutputs,
                                             String value) {
        List<Integer> readers = consumers.getOrDefault(value, List.of());
        if (readers.size() != 1 || graphOutputs.contains(value)) {
            return null;
        }
        NodeProto node = graph.getNode(readers.getFirst());
        boolean add = node.getOpType().equals("Add") && GraphScope.isStandard(node) && node.getInputCount() == 2;
        return add ? node : null;
    }

    /** The operand of a two-input node that is not {@code value}, or null when both are. */
    private static String otherOperand(NodeProto add, String value) {
        String a = add.getInput(0);
        String b = add.getInput(1);
        if (a.equals(value) && b.equals(value)) {
            return null;
        }
        return a.equals(value) ? b : a;
    }
}
