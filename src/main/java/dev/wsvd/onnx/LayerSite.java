package dev.wsvd.onnx;

import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.onnx.proto.Onnx.NodeProto;

/**
 * A weight layer as found in the graph, before output shapes are known: the node, where it is, its constant
 * weight (and bias), and why it cannot be compressed if that is already clear from the graph.
 *
 * @param name    the layer's unique name (see {@link OnnxLayer#name()})
 * @param graph   the graph holding the node
 * @param nodeIndex the node's index in that graph
 * @param bias    Conv's B or Gemm's C when it is a constant per-output vector; null otherwise (a non-vector C
 *                stays on the rewritten second node as it is)
 * @param refusal why the format rules the split out, or null when it allows it
 */
public record LayerSite(String name, GraphPath graph, int nodeIndex, NodeProto node, Kind kind,
                        GraphScope.Constant weight, GraphScope.Constant bias, SplitRefusal refusal) {

    /** How wsvd reads and rewrites a weight layer's node. */
    public enum Kind {
        /** {@code x · W} with W stored {@code in x out}; also the quantized MatMul variants (reported only). */
        MAT_MUL,
        /** {@code alpha · A' · B' + beta · C}, W = B stored {@code out x in} when transB, else {@code in x out}. */
        GEMM,
        /** Conv with W stored {@code Cout x Cin/groups x k...}, the reference layout. */
        CONV,
        /** A weight layer wsvd reports but cannot describe as Linear or Conv (packed or transposed weights). */
        OTHER
    }

    /**
     * Whether the weight is stored as the transpose of the reference layout (Linear {@code out x in}): a MatMul's
     * {@code in x out} operand, or a Gemm's B without {@code transB}.
     */
    public boolean weightTransposed() {
        return switch (kind) {
            case MAT_MUL -> true;
            case GEMM -> Attributes.integer(node, "transB", 0) == 0;
            case CONV, OTHER -> false;
        };
    }

    /** The factor the layer multiplies its stored weight by: a Gemm's alpha, 1 for the others. */
    public float weightScale() {
        return kind == Kind.GEMM ? Attributes.real(node, "alpha", 1f) : 1f;
    }
}
