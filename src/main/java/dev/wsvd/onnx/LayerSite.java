package dev.wsvd.onnx;

import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.onnx.proto.Onnx.NodeProto;

/**
 * A weight layer as found in the graph, before output shapes are known: the node, where it is, its constant
 * weight (and bias), and why it cannot be compressed if that is already clear from the graph.
 *
 * @param bias Conv's B or Gemm's C when it is a constant per-output vector; null otherwise (a non-vector C
 *             stays on the rewritten second node as it is)
 * @param refusal why the format rules the split out, or null when it allows it
 */
record LayerSite(String name, GraphPath graph, int nodeIndex, NodeProto node, LayerKind kind,
                 GraphScope.Constant weight, GraphScope.Constant bias, SplitRefusal refusal) {
}
