package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.wire.OnnxFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a layer's attributes and neighbours agree with its weight, and that the graph has no cycle: a model
 * failing them cannot run, and splitting it would only write it out equally broken. Each failure is a format
 * error naming the layer, its op and the two things that disagree. Only layers the split would touch are
 * checked (dense floating-point weights); input sizes are checked where the graph or the user's shapes give them.
 */
final class LayerConsistency {
    private LayerConsistency() {
    }

    /** What can be checked from the node and its weight alone, before any shape is known. */
    static void checkAttributes(LayerSite site, GraphProto main, String label) throws OnnxFormatException {
        NodeProto node = site.node();
        if (node.getOutputCount() == 0 || node.getOutput(0).isEmpty() || node.getInputCount() == 0 || node.getInput(0).isEmpty()) {
            throw error(label, site, "it has " + (node.getOutputCount() == 0 || node.getOutput(0).isEmpty() ? "no output" : "no input"));
        }
        if (site.refusal() != null) {
            return;
        }
        List<Long> dims = site.weight().tensor().getDimsList();
        switch (site.kind()) {
            case CONV -> {
                if (dims.size() < 3) {
                    return;
                }
                long[] kernel = dims.subList(2, dims.size()).stream().mapToLong(Long::longValue).toArray();
                long[] declared = Attributes.integers(node, "kernel_shape", null);
                if (declared != null && !Arrays.equals(declared, kernel)) {
                    throw error(label, site, "its kernel_shape " + Arrays.toString(declared) + " does not match its weight's"
                            + " kernel " + Arrays.toString(kernel) + " (weight dims " + dims + ")");
                }
                long groups = Attributes.integer(node, "group", 1);
                if (groups < 1 || dims.get(0) % groups != 0) {
                    throw error(label, site, "group " + groups + " does not divide its weight's " + dims.get(0) + " output channels");
                }
                if (site.bias() != null && !site.bias().tensor().getDimsList().equals(List.of(dims.get(0)))) {
                    throw error(label, site, "its bias has dims " + site.bias().tensor().getDimsList() + " but its weight has "
                            + dims.get(0) + " output channels (weight dims " + dims + ")");
                }
            }
            case GEMM -> {
                if (dims.size() != 2 || site.bias() != null || node.getInputCount() < 3 || !site.graph().isMain()) {
                    return;
                }
                long out = dims.get(Attributes.integer(node, "transB", 0) != 0 ? 0 : 1);
                TensorProto c = initializer(main, node.getInput(2));
                if (c != null && c.getDimsCount() > 0) {
                    long last = c.getDims(c.getDimsCount() - 1);
                    if (last != 1 && last != out) {
                        throw error(label, site, "its C (bias) has dims " + c.getDimsList() + ", which does not broadcast to its "
                                + out + " outputs (weight dims " + dims + ", transB " + Attributes.integer(node, "transB", 0) + ")");
                    }
                }
            }
            default -> { }
        }
    }

    /** What needs the size of the layer's input: its channels or features against the weight's. */
    static void checkInput(LayerSite site, ValueShapes shapes, String label) throws OnnxFormatException {
        if (site.refusal() != null || !site.graph().isMain() || site.node().getInputCount() == 0) {
            return;
        }
        NodeProto node = site.node();
        List<Long> dims = site.weight().tensor().getDimsList();
        long[] input = shapes.get(node.getInput(0));
        if (input == null || dims.size() < 2) {
            return;
        }
        switch (site.kind()) {
            case CONV -> {
                long expected = dims.get(1) * Attributes.integer(node, "group", 1);
                if (input.length == dims.size() && input[1] >= 0 && input[1] != expected) {
                    throw error(label, site, "its input " + node.getInput(0) + " has " + input[1] + " channels but its weight "
                            + dims + " (group " + Attributes.integer(node, "group", 1) + ") takes " + expected);
                }
            }
            case GEMM -> {
                boolean transA = Attributes.integer(node, "transA", 0) != 0;
                boolean transB = Attributes.integer(node, "transB", 0) != 0;
                long k = dims.get(transB ? 1 : 0);
                if (input.length == 2 && input[transA ? 0 : 1] >= 0 && input[transA ? 0 : 1] != k) {
                    throw error(label, site, "with transB " + (transB ? 1 : 0) + " it reads its weight " + dims + " as "
                            + k + " inputs, but its input " + node.getInput(0) + " " + Arrays.toString(input) + " has "
                            + input[transA ? 0 : 1] + " (transA " + (transA ? 1 : 0) + ")");
                }
            }
            case MAT_MUL -> {
                long last = input.length == 0 ? -1 : input[input.length - 1];
                if (dims.size() == 2 && last >= 0 && last != dims.get(0)) {
                    throw error(label, site, "its input " + node.getInput(0) + " " + Arrays.toString(input) + " has " + last
                            + " features but its weight " + dims + " takes " + dims.get(0));
                }
            }
            default -> { }
        }
    }

    /**
     * Refuses a main graph whose nodes feed each other in a cycle (ONNX graphs are acyclic; a cycle would make a
     * rewrite loop or a runtime reject the output), naming one node on it.
     */
    static void checkAcyclic(GraphProto graph, String label) throws OnnxFormatException {
        int count = graph.getNodeCount();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < count; i++) {
            for (String output : graph.getNode(i).getOutputList()) {
                if (!output.isEmpty()) {
                    producer.put(output, i);
                }
            }
        }
        int[] pending = new int[count];
        List<List<Integer>> consumers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            for (String input : graph.getNode(i).getInputList()) {
                Integer from = producer.get(input);
                if (from != null) {
                    pending[i]++;
                    consumers.get(from).add(i);
                }
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < count; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        int ordered = 0;
        while (!ready.isEmpty()) {
            int node = ready.poll();
            ordered++;
            for (int next : consumers.get(node)) {
                if (--pending[next] == 0) {
                    ready.add(next);
                }
            }
        }
        if (ordered < count) {
            for (int i = 0; i < count; i++) {
                if (pending[i] > 0) {
                    NodeProto node = graph.getNode(i);
                    throw new OnnxFormatException(label + ": its graph has a cycle through node "
                            + (node.getName().isEmpty() ? "#" + i : node.getName()) + " (" + node.getOpType() + "); an ONNX"
                            + " graph must be acyclic, so the model is corrupt");
                }
            }
        }
    }

    private static TensorProto initializer(GraphProto graph, String name) {
        for (TensorProto tensor : graph.getInitializerList()) {
            if (tensor.getName().equals(name)) {
                return tensor;
            }
        }
        return null;
    }

    private static OnnxFormatException error(String label, LayerSite site, String problem) {
        return new OnnxFormatException(label + ": layer " + site.name() + " (" + site.node().getOpType() + ") is inconsistent: "
                + problem + "; the model cannot run as it is");
    }
}
