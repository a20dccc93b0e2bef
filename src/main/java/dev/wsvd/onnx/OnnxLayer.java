package dev.wsvd.onnx;

import dev.wsvd.layer.LayerGeometry;
import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.onnx.wire.ElementTypes;
import dev.wsvd.tensor.Shape;
import java.util.Objects;
import java.util.Optional;

/**
 * A weight layer of an ONNX model: a MatMul, Gemm or Conv node with a constant weight, or a weight layer
 * wsvd reports but does not split (quantized, transposed, 3-D, depthwise...), with the reason.
 *
 * <p>The {@linkplain #geometry() geometry} is what the split and the cost model take (Linear {@code out x in},
 * Conv with output sizes when known), and it makes MAC counts per sample: a Conv's output positions are part
 * of it, and so are a MatMul's rows per sample (the product of the output's dimensions between the batch and
 * the feature dimension: the sequence length of a transformer).
 *
 * <p>Layers belong to the model that listed them ({@link OnnxModel#layers}); use them with that model only.
 */
public final class OnnxLayer {
    private final LayerSite site;
    private final Object model;
    private final String graph;
    private final LayerGeometry geometry;
    private final SplitRefusal refusal;
    private final boolean macsKnown;
    private final String macsUnknown;

    OnnxLayer(LayerSite site, Object model, String graph, LayerGeometry geometry, SplitRefusal refusal, boolean macsKnown,
              String macsUnknown) {
        this.site = site;
        this.model = model;
        this.graph = graph;
        this.geometry = geometry;
        this.refusal = refusal;
        this.macsKnown = macsKnown;
        this.macsUnknown = macsUnknown;
    }

    /**
     * The node's name, or for an unnamed (or duplicated) one a stable name derived from its first output,
     * unique in the model. The split layers of a rewrite are named {@code <name>.0} and {@code <name>.1}.
     */
    public String name() {
        return site.name();
    }

    /** The ONNX operator: {@code MatMul}, {@code Gemm}, {@code Conv}, or the unsupported op reported. */
    public String opType() {
        return site.node().getOpType();
    }

    /** {@code main graph}, or the subgraph holding the layer, e.g. {@code then_branch of If 'check'}. */
    public String graph() {
        return graph;
    }

    public boolean inSubgraph() {
        return !site.graph().isMain();
    }

    /** The name of the constant holding the weight (an initializer or a Constant node's output). */
    public String weightName() {
        return site.weight().name();
    }

    /** The weight's shape as stored in ONNX (a MatMul weight is {@code in x out}). */
    public Shape weightShape() {
        return Shape.of(site.weight().tensor().getDimsList().stream().mapToLong(Long::longValue).toArray());
    }

    /** The weight's ONNX element type: {@code FLOAT}, {@code FLOAT16}, {@code INT8}... */
    public String weightType() {
        return ElementTypes.name(site.weight().tensor().getDataType());
    }

    /** The layer as the split and cost model see it; empty for layers that are neither Linear nor 1-D/2-D Conv. */
    public Optional<LayerGeometry> geometry() {
        return Optional.ofNullable(geometry);
    }

    /** Why the layer cannot be split, typed, or empty if it can. */
    public Optional<SplitRefusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** Why the layer cannot be split, as the user reads it, or empty if it can. */
    public Optional<String> notCompressibleReason() {
        return refusal().map(SplitRefusal::reason);
    }

    public boolean isCompressible() {
        return refusal == null;
    }

    /**
     * Whether the output size needed for MACs per sample is known. When false, a MatMul's geometry has one row
     * per sample (its MACs are per row) and a Conv's geometry has no output size.
     */
    public boolean macsKnown() {
        return macsKnown;
    }

    /**
     * Why this layer's MACs cannot be counted at all, for a convolution whose output size could not be found
     * (declared nowhere and not measurable: inside a Loop body, or in an If branch ONNX Runtime could not run on
     * its own); empty when they can (a MatMul counted per row included).
     */
    public Optional<String> macsUnknownReason() {
        return Optional.ofNullable(macsUnknown);
    }

    LayerSite site() {
        return site;
    }

    boolean belongsTo(Object modelIdentity) {
        return model == modelIdentity;
    }

    @Override
    public String toString() {
        return opType() + " '" + name() + "' " + weightShape() + (refusal != null ? " (not compressible: " + refusal.reason() + ")" : "");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OnnxLayer that && model == that.model && site.name().equals(that.site.name());
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(model), site.name());
    }
}
