package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import dev.wsvd.onnx.wire.ElementTypes;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluating a model with one layer's weight swapped, without rewriting or serializing it: ONNX Runtime replaces
 * an initializer by name when it opens a session ({@code SessionOptions.addInitializer}). That only works for a
 * dense initializer of the main graph, and only means "this layer changed" when no other node reads it, so
 * {@link #isReplaceable} checks both; {@link #toStoredLayout} turns a weight in the reference layout (as
 * {@link OnnxModel#weight} gives it) back into the layout, scale and element type the initializer is stored in.
 */
final class WeightReplacement {
    private WeightReplacement() {
    }

    /**
     * Whether ONNX Runtime can swap {@code layer}'s weight at session creation and change nothing else: the weight
     * is a dense initializer of the main graph, not also a graph input, read by this layer's node only.
     */
    static boolean isReplaceable(OnnxModel model, OnnxLayer layer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(layer, "layer");
        if (!layer.belongsTo(model.skeleton()) || !layer.isCompressible()) {
            return false;
        }
        LayerSite site = layer.site();
        GraphScope.Constant weight = site.weight();
        if (weight.origin() != GraphScope.Origin.INITIALIZER || !weight.graph().isMain()
                || ElementTypes.floatingType(weight.tensor().getDataType()).isEmpty()) {
            return false;
        }
        GraphProto main = model.skeleton().getGraph();
        for (ValueInfoProto input : main.getInputList()) {
            if (input.getName().equals(weight.name())) {
                return false; // an overridable initializer: a feed could replace it as well
            }
        }
        AtomicInteger readers = new AtomicInteger();
        new GraphScope(null, GraphPath.MAIN, main).visit(scope -> {
            for (NodeProto node : scope.graph().getNodeList()) {
                for (String input : node.getInputList()) {
                    if (input.equals(weight.name())) {
                        readers.incrementAndGet();
                    }
                }
            }
            for (ValueInfoProto output : scope.graph().getOutputList()) {
                if (output.getName().equals(weight.name())) {
                    readers.incrementAndGet();
                }
            }
        });
        return readers.get() == 1;
    }

    /**
     * The inverse of {@link OnnxModel#weight}: {@code reference} (Linear {@code out x in}, Conv
     * {@code Cout x Cin/g x k...}) as the layer stores its weight: transposed for a MatMul and a Gemm without
     * {@code transB}, divided by a Gemm's {@code alpha}, in the initializer's element type. A new tensor the caller
     * closes.
     *
     * @throws IllegalArgumentException if the layer's weight is not replaceable or the shape does not match
     */
    static Tensor toStoredLayout(OnnxModel model, OnnxLayer layer, Tensor reference) {
        if (!isReplaceable(model, layer)) {
            throw new IllegalArgumentException("the weight of layer '" + layer.name() + "' cannot be replaced at session"
                    + " creation (it is not a dense main-graph initializer read by this layer only)");
        }
        LayerSite site = layer.site();
        float alpha = site.weightScale();
        DType storage = ElementTypes.floatingType(site.weight().tensor().getDataType()).orElseThrow();
        Tensor oriented = site.weightTransposed() ? reference.transpose() : reference;
        try {
            if (!oriented.shape().equals(layer.weightShape())) {
                throw new IllegalArgumentException("a weight of shape " + reference.shape() + " does not fit layer '"
                        + layer.name() + "', stored as " + layer.weightShape());
            }
            Tensor stored = oriented.to(storage);
            if (alpha != 1f) {
                for (long i = 0; i < stored.shape().size(); i++) {
                    stored.setDouble(i, stored.getDouble(i) / alpha);
                }
            }
            return stored;
        } finally {
            if (oriented != reference) {
                oriented.close();
            }
        }
    }
}
