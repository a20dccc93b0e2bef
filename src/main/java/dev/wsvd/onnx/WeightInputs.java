package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorShapeProto;
import dev.wsvd.onnx.proto.Onnx.TypeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.onnx.wire.WireModel;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A copy of a model in which chosen layers' weights are graph inputs instead of initializers, with the original
 * weights to feed them: one ONNX Runtime session over it computes the original model (every weight fed as stored)
 * or the original with any of those weights swapped (one fed differently), so a sweep of candidates that each change
 * one weight needs one session instead of one per candidate.
 *
 * <p>The weights are removed from the initializers rather than listed as inputs with initializer defaults: ONNX
 * Runtime's Java API accepts feeds only for the inputs a session reports, and it does not report overridable
 * initializers. Only layers whose weight {@link OnnxModel#canReplaceWeight can be replaced} are taken (a dense
 * main-graph initializer read by that layer only), so feeding one changes that layer and nothing else.
 *
 * <p>The copy shares the source's other tensors; the original weights are views of (or, where stored as raw
 * repeated fields, copies out of) the source. Close this before the source.
 */
public final class WeightInputs implements ModelSession.SerializedModel, AutoCloseable {
    private final WireModel model;
    private final Map<String, Tensor> originals;
    private final String description;
    private ByteBuffer inline; // serialized once, shared by every session opened on it

    private WeightInputs(WireModel model, Map<String, Tensor> originals, String description) {
        this.model = model;
        this.originals = Collections.unmodifiableMap(originals);
        this.description = description;
    }

    /**
     * {@code source} with the weights of {@code layers} as graph inputs.
     *
     * @throws IllegalArgumentException if a layer's weight cannot be replaced ({@link OnnxModel#canReplaceWeight})
     * @throws OnnxFormatException       if a weight's stored data disagrees with its shape
     */
    public static WeightInputs of(OnnxModel source, Collection<OnnxLayer> layers) throws OnnxFormatException {
        Objects.requireNonNull(source, "source");
        Map<String, TensorProto> weights = new LinkedHashMap<>();
        for (OnnxLayer layer : layers) {
            if (!source.canReplaceWeight(layer)) {
                throw new IllegalArgumentException("the weight of layer '" + layer.name() + "' of " + source.label()
                        + " cannot be fed as an input (it is not a dense main-graph initializer read by this layer only)");
            }
            weights.put(layer.weightName(), layer.site().weight().tensor());
        }
        Map<String, Tensor> originals = new LinkedHashMap<>();
        WireModel derived = null;
        try {
            for (Map.Entry<String, TensorProto> weight : weights.entrySet()) {
                originals.put(weight.getKey(), source.wire().tensor(weight.getValue()));
            }
            derived = source.wire().derive(tensors -> withWeightInputs(source.skeleton(), weights));
            return new WeightInputs(derived, originals, source.label() + " with " + weights.size() + " weights as inputs");
        } catch (OnnxFormatException | RuntimeException e) {
            originals.values().forEach(Tensor::close);
            if (derived != null) {
                derived.close();
            }
            throw e;
        }
    }

    private static ModelProto withWeightInputs(ModelProto skeleton, Map<String, TensorProto> weights) {
        GraphProto.Builder graph = skeleton.getGraph().toBuilder().clearInitializer();
        for (TensorProto initializer : skeleton.getGraph().getInitializerList()) {
            if (!weights.containsKey(initializer.getName())) {
                graph.addInitializer(initializer);
            }
        }
        for (Map.Entry<String, TensorProto> weight : weights.entrySet()) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (long dim : weight.getValue().getDimsList()) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
            }
            graph.addInput(ValueInfoProto.newBuilder().setName(weight.getKey()).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(weight.getValue().getDataType()).setShape(shape))));
        }
        return skeleton.toBuilder().setGraph(graph).build();
    }

    /** The original weights by initializer (now input) name, as stored: what a run feeds for an unchanged layer. */
    public Map<String, Tensor> originals() {
        return originals;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public long inlineSize() {
        return model.inlineSize();
    }

    /** The serialized copy, made on first use and shared (as independent views) by later callers. */
    @Override
    public synchronized ByteBuffer inline() {
        if (inline == null) {
            inline = model.toDirectByteBuffer();
        }
        return inline.duplicate();
    }

    @Override
    public void writeWithExternalData(Path file) throws IOException {
        model.write(file, WireModel.ExternalData.EXTERNAL);
    }

    /** Releases the copy and the original weights; sessions opened on it no longer need it. */
    @Override
    public void close() {
        originals.values().forEach(Tensor::close);
        model.close();
    }
}
