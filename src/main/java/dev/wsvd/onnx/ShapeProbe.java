package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import dev.wsvd.onnx.wire.ElementTypes;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.onnx.wire.WireModel;
import dev.wsvd.runtime.Feed;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.SessionSettings;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures the shapes of intermediate values by running the model once in ONNX Runtime: a copy of the graph
 * lists the wanted values as extra outputs and is fed zeros of the given input shapes. Zeros are enough:
 * the shapes of the layers wsvd splits do not depend on input values.
 */
final class ShapeProbe {
    /** One run, no graph rewriting: opening the session is most of the cost, and the optimizer would gain nothing. */
    private static final SessionSettings ONE_RUN = SessionSettings.DEFAULT.withOptimization(SessionSettings.Optimization.NONE);

    private ShapeProbe() {
    }

    /**
     * The shapes of {@code values} (outputs of main-graph nodes) when the inputs have {@code inputDims}.
     *
     * @throws OnnxFormatException if ONNX Runtime cannot load or run the model
     */
    static Map<String, long[]> measure(OnnxModel model, Collection<String> values, ModelInputs inputs,
                                       Map<String, long[]> inputDims) throws OnnxFormatException {
        return measure(model, model.skeleton().getGraph(), values, inputs, inputDims, ONE_RUN);
    }

    /**
     * The shapes of {@code values} (outputs of nodes of {@code graph}) when {@code graph}, which stands for the model's
     * main graph (a {@link BranchInlining} copy of it), runs with inputs of {@code inputDims}. A failure is the
     * caller's to report (it falls back), so ONNX Runtime's own error line is not printed.
     *
     * @throws OnnxFormatException if ONNX Runtime cannot load or run the model
     */
    static Map<String, long[]> measureInlined(OnnxModel model, GraphProto graph, Collection<String> values, ModelInputs inputs,
                                              Map<String, long[]> inputDims) throws OnnxFormatException {
        return measure(model, graph, values, inputs, inputDims, ONE_RUN.withFailureLog(false));
    }

    private static Map<String, long[]> measure(OnnxModel model, GraphProto graph, Collection<String> values, ModelInputs inputs,
                                               Map<String, long[]> inputDims, SessionSettings settings) throws OnnxFormatException {
        Set<String> wanted = new LinkedHashSet<>(values);
        Map<String, Feed> feeds = new LinkedHashMap<>();
        ModelProto skeleton = model.skeleton().toBuilder().setGraph(graph).build();
        try (WireModel probe = model.wire().derive(tensors -> withOutputs(skeleton, wanted));
             ModelSession session = ModelSession.open(SessionModels.of(probe, probe.label()), settings, 0)) {
            for (ModelInputs.Input input : inputs.all()) {
                feeds.put(input.name(), zeros(input, inputDims.get(input.name())));
            }
            return session.outputShapes(feeds, wanted);
        } catch (SessionException e) {
            throw new OnnxFormatException(model.label() + ": ONNX Runtime could not run the model to measure layer output sizes"
                    + " (with inputs " + describe(inputDims) + "): " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(Feed::close);
        }
    }

    /** The model with {@code wanted} added to the graph's outputs. */
    private static ModelProto withOutputs(ModelProto skeleton, Set<String> wanted) {
        GraphProto.Builder graph = skeleton.getGraph().toBuilder();
        Set<String> outputs = new LinkedHashSet<>();
        graph.getOutputList().forEach(output -> outputs.add(output.getName()));
        for (String value : wanted) {
            if (outputs.add(value)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(value));
            }
        }
        return skeleton.toBuilder().setGraph(graph).build();
    }

    private static Feed zeros(ModelInputs.Input input, long[] dims) throws SessionException {
        try {
            return Feed.zeros(ElementTypes.name(input.elementType()).toLowerCase(Locale.ROOT), dims);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input '" + input.name() + "' has element type "
                    + ElementTypes.name(input.elementType()) + ", which wsvd cannot feed to measure output sizes", e);
        }
    }

    private static String describe(Map<String, long[]> inputDims) {
        StringBuilder text = new StringBuilder();
        inputDims.forEach((name, dims) -> text.append(text.isEmpty() ? "" : " ").append(name).append('=').append(InputShapes.format(dims)));
        return text.toString();
    }
}
