package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.SparseTensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A copy of a model's main graph in which the nodes (and initializers) of every If branch are also copied into
 * the main graph, right after their If node, so that one ONNX Runtime run computes the values inside the branches
 * too and can hand them out as graph outputs.
 *
 * <p>Why: ONNX Runtime only returns main-graph values; a value inside a subgraph cannot be named as a graph
 * output. A branch reads only values defined before its If node (outer-scope values and its own), so its nodes
 * can run in the main graph at that point, reading the same inputs the If would give them; their outputs have
 * the sizes they have when the branch runs. Both branches run in the copy, whatever the condition: that is what
 * measures the branch the condition would not take. The If nodes stay as they were, so the model's own outputs
 * are still computed. Only If branches are inlined: a Loop or Scan body runs on values that exist only while it
 * iterates, so its sizes are not measured this way ({@link #outsideBranches}).
 *
 * <p>Every name an inlined branch defines (its initializers and node outputs) gets a new name in the copy, in the
 * branch and in the graphs nested in it, and {@link #flatName} maps a value as a graph sees it to its name in the
 * copy. Keeping the names would break the copy twice over: sibling branches may define the same name (ONNX allows
 * it: they are separate scopes), and the If nodes, which stay, would hold subgraphs redefining names of the main
 * graph, which ONNX forbids. For the same reason, ONNX forbidding a subgraph to redefine a name of an enclosing
 * scope makes renaming every use inside the branch exact.
 */
final class BranchInlining {
    private final GraphProto.Builder flat;
    private final Set<String> defined = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();
    /** for each inlined branch, the names it defines and their names in the copy */
    private final Map<GraphPath, Map<String, String>> renamed = new HashMap<>();
    private int fresh;

    private BranchInlining(GraphProto main) {
        flat = main.toBuilder().clearNode();
        main.getInputList().forEach(input -> defined.add(input.getName()));
        main.getInitializerList().forEach(initializer -> defined.add(initializer.getName()));
        main.getSparseInitializerList().forEach(sparse -> defined.add(sparse.getValues().getName()));
        main.getNodeList().forEach(node -> {
            defined.addAll(node.getOutputList());
            nodeNames.add(node.getName());
        });
    }

    /** The main graph with every If branch's nodes inlined after their If node, to any depth of If nesting. */
    static BranchInlining of(GraphProto main) {
        BranchInlining inlining = new BranchInlining(main);
        for (int i = 0; i < main.getNodeCount(); i++) {
            NodeProto node = main.getNode(i);
            inlining.flat.addNode(node);
            inlining.inlineBranches(node, GraphPath.MAIN, i);
        }
        return inlining;
    }

    /** The copy's main graph. */
    GraphProto graph() {
        return flat.build();
    }

    /**
     * The name in the copy of {@code value} as the graph at {@code path} sees it (a value it defines, or one of an
     * enclosing graph's).
     */
    String flatName(GraphPath path, String value) {
        for (GraphPath graph = path; !graph.isMain(); graph = graph.parent()) {
            String name = renamed.getOrDefault(graph, Map.of()).get(value);
            if (name != null) {
                return name;
            }
        }
        return value;
    }

    /**
     * Null when every graph on {@code path} is an If branch (the main graph included), else the first graph that is
     * not, as users read it: {@code body of Loop 'decode'}.
     */
    static String outsideBranches(GraphPath path, GraphProto main) {
        GraphProto graph = main;
        for (GraphPath.Step step : path.steps()) {
            NodeProto node = graph.getNode(step.node());
            AttributeProto attribute = node.getAttribute(step.attribute());
            if (!isIf(node)) {
                return attribute.getName() + " of " + node.getOpType() + " '"
                        + (node.getName().isEmpty() ? "#" + step.node() : node.getName()) + "'";
            }
            graph = step.listIndex() < 0 ? attribute.getG() : attribute.getGraphs(step.listIndex());
        }
        return null;
    }

    private static boolean isIf(NodeProto node) {
        return GraphScope.isStandard(node) && node.getOpType().equals("If");
    }

    /** Inlines the branches of {@code node} (the {@code index}-th node of the graph at {@code path}), if it is an If. */
    private void inlineBranches(NodeProto node, GraphPath path, int index) {
        if (!isIf(node)) {
            return;
        }
        for (int a = 0; a < node.getAttributeCount(); a++) {
            AttributeProto attribute = node.getAttribute(a);
            if (attribute.hasG()) {
                inline(attribute.getG(), path.child(index, a, -1));
            }
        }
    }

    private void inline(GraphProto branch, GraphPath path) {
        Map<String, String> renames = new HashMap<>();
        for (String name : definedBy(branch)) {
            String copy;
            do {
                copy = name + "/wsvd.inlined." + fresh++;
            } while (!defined.add(copy));
            renames.put(name, copy);
        }
        renamed.put(path, renames);
        GraphProto graph = rename(branch, renames);
        flat.addAllInitializer(graph.getInitializerList());
        flat.addAllSparseInitializer(graph.getSparseInitializerList());
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            String name = node.getName();
            if (!nodeNames.add(name)) { // ONNX Runtime wants node names unique in a graph
                int n = 0;
                while (!nodeNames.add(name + "/wsvd.inlined." + n)) {
                    n++;
                }
                name = name + "/wsvd.inlined." + n;
            }
            flat.addNode(node.toBuilder().setName(name));
            inlineBranches(node, path, i);
        }
    }

    private static Set<String> definedBy(GraphProto graph) {
        Set<String> names = new HashSet<>();
        graph.getInitializerList().forEach(initializer -> names.add(initializer.getName()));
        graph.getSparseInitializerList().forEach(sparse -> names.add(sparse.getValues().getName()));
        graph.getNodeList().forEach(node -> node.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(names::add));
        return names;
    }

    /** {@code graph} with every name in {@code renames} replaced, in its nodes and in every graph nested in them. */
    private static GraphProto rename(GraphProto graph, Map<String, String> renames) {
        GraphProto.Builder copy = graph.toBuilder().clearNode().clearInitializer().clearSparseInitializer()
                .clearInput().clearOutput().clearValueInfo();
        for (TensorProto initializer : graph.getInitializerList()) {
            copy.addInitializer(initializer.toBuilder().setName(renames.getOrDefault(initializer.getName(), initializer.getName())));
        }
        for (SparseTensorProto sparse : graph.getSparseInitializerList()) {
            String name = sparse.getValues().getName();
            copy.addSparseInitializer(sparse.toBuilder().setValues(sparse.getValues().toBuilder()
                    .setName(renames.getOrDefault(name, name))));
        }
        for (ValueInfoProto info : graph.getInputList()) {
            copy.addInput(info.toBuilder().setName(renames.getOrDefault(info.getName(), info.getName())));
        }
        for (ValueInfoProto info : graph.getOutputList()) {
            copy.addOutput(info.toBuilder().setName(renames.getOrDefault(info.getName(), info.getName())));
        }
        for (ValueInfoProto info : graph.getValueInfoList()) {
            copy.addValueInfo(info.toBuilder().setName(renames.getOrDefault(info.getName(), info.getName())));
        }
        for (NodeProto node : graph.getNodeList()) {
            NodeProto.Builder renamedNode = node.toBuilder().clearInput().clearOutput().clearAttribute();
            node.getInputList().forEach(input -> renamedNode.addInput(renames.getOrDefault(input, input)));
            node.getOutputList().forEach(output -> renamedNode.addOutput(renames.getOrDefault(output, output)));
            for (AttributeProto attribute : node.getAttributeList()) {
                AttributeProto.Builder renamedAttribute = attribute.toBuilder();
                if (attribute.hasG()) {
                    renamedAttribute.setG(rename(attribute.getG(), renames));
                }
                for (int g = 0; g < attribute.getGraphsCount(); g++) {
                    renamedAttribute.setGraphs(g, rename(attribute.getGraphs(g), renames));
                }
                renamedNode.addAttribute(renamedAttribute);
            }
            copy.addNode(renamedNode);
        }
        return copy.build();
    }
}
