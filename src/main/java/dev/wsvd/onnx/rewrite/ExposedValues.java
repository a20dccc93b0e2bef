package dev.wsvd.onnx.rewrite;

import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A copy of a model whose chosen main-graph values are also graph outputs, so one ONNX Runtime run hands them out
 * (the inputs of the layers a data-aware split calibrates on). The source is unchanged and shares its weights with
 * the copy. An intermediate value becomes an output under its own name; a graph input cannot be an output in ONNX,
 * so it passes through a new {@code Identity} node whose output is named after it.
 *
 * @param model   the copy; close it (the source stays open and usable)
 * @param outputs for each value asked for, the output name that carries it
 */
public record ExposedValues(OnnxModel model, Map<String, String> outputs) implements AutoCloseable {

    public ExposedValues {
        Objects.requireNonNull(model, "model");
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** Whether {@link #expose} can expose {@code value}: it is computed by a main-graph node or is a graph input. */
    public static boolean canExpose(OnnxModel source, String value) {
        GraphProto main = source.wire().skeleton().getGraph();
        boolean initializer = main.getInitializerList().stream().anyMatch(tensor -> tensor.getName().equals(value));
        return main.getNodeList().stream().anyMatch(node -> node.getOutputList().contains(value))
                || !initializer && main.getInputList().stream().anyMatch(input -> input.getName().equals(value));
    }

    /**
     * {@code source} with every value of {@code values} (names of main-graph node outputs or graph inputs) added to the
     * graph's outputs.
     *
     * @throws IllegalArgumentException if a value is neither produced by a main-graph node nor a graph input (a value
     *                                  inside an If/Loop body cannot be exposed this way), naming it
     */
    public static ExposedValues expose(OnnxModel source, Collection<String> values) {
        ModelProto skeleton = source.wire().skeleton();
        GraphProto main = skeleton.getGraph();
        Set<String> produced = new LinkedHashSet<>();
        main.getNodeList().forEach(node -> produced.addAll(node.getOutputList()));
        Set<String> graphInputs = new LinkedHashSet<>();
        main.getInputList().forEach(input -> graphInputs.add(input.getName()));
        main.getInitializerList().forEach(initializer -> graphInputs.remove(initializer.getName()));
        Set<String> existingOutputs = new LinkedHashSet<>();
        main.getOutputList().forEach(output -> existingOutputs.add(output.getName()));

        ModelNames names = new ModelNames(main);
        GraphProto.Builder graph = main.toBuilder();
        Map<String, String> outputs = new LinkedHashMap<>();
        for (String value : new LinkedHashSet<>(values)) {
            if (produced.contains(value)) {
                outputs.put(value, value);
                if (!existingOutputs.contains(value)) {
                    graph.addOutput(ValueInfoProto.newBuilder().setName(value));
                }
            } else if (graphInputs.contains(value)) {
                String copy = names.newValue(value + ".exposed");
                graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(names.newNode(copy))
                        .addInput(value).addOutput(copy));
                graph.addOutput(ValueInfoProto.newBuilder().setName(copy));
                outputs.put(value, copy);
            } else {
                throw new IllegalArgumentException("value '" + value + "' of " + source.label() + " is neither computed by"
                        + " a node of the main graph nor a graph input, so it cannot be made a graph output");
            }
        }
        ModelProto exposed = skeleton.toBuilder().setGraph(graph).build();
        return new ExposedValues(OnnxModel.of(source.wire().derive(tensors -> exposed)), outputs);
    }

    @Override
    public void close() {
        model.close();
    }
}
