package dev.wsvd.onnx;

import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.layer.SplitRefusal.Kind;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.wire.ElementTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the weight layers of a model, in the main graph and in every subgraph: the splittable ones (MatMul
 * with a constant 2-D right operand, Gemm with a constant B, 1-D/2-D Conv with a constant weight) and the ones
 * users would expect to see but that cannot be split (quantized, transposed, 3-D, depthwise...), each with the
 * reason.
 */
final class LayerFinder {
    /** Ops reported as quantized, with the input index of their weight. */
    private static final Map<String, Integer> QUANTIZED_WEIGHT_INPUT = Map.of(
            "MatMulInteger", 1, "QLinearMatMul", 3, "ConvInteger", 1, "QLinearConv", 3,
            "MatMulIntegerToFloat", 1, "DynamicQuantizeMatMul", 1, "MatMulNBits", 1, "QGemm", 3);

    private final ModelProto model;
    private final List<LayerSite> sites = new ArrayList<>();
    private final Map<String, Integer> nodeNameCounts = new HashMap<>();
    private final Set<String> usedLayerNames = new HashSet<>();

    private LayerFinder(ModelProto model) {
        this.model = model;
    }

    static List<LayerSite> find(ModelProto model) {
        LayerFinder finder = new LayerFinder(model);
        GraphScope main = new GraphScope(null, GraphPath.MAIN, model.getGraph());
        main.visit(scope -> scope.graph().getNodeList().forEach(node -> finder.nodeNameCounts.merge(node.getName(), 1, Integer::sum)));
        main.visit(finder::scan);
        return List.copyOf(finder.sites);
    }

    private void scan(GraphScope scope) {
        for (int index = 0; index < scope.graph().getNodeCount(); index++) {
            NodeProto node = scope.graph().getNode(index);
            LayerSite site = site(scope, index, node);
            if (site != null) {
                sites.add(site);
            }
        }
    }

    private LayerSite site(GraphScope scope, int index, NodeProto node) {
        String op = node.getOpType();
        Integer quantizedInput = QUANTIZED_WEIGHT_INPUT.get(op);
        if (quantizedInput != null) {
            GraphScope.Constant weight = constantInput(scope, node, quantizedInput);
            if (weight == null) {
                return null; // both operands computed: an activation product, not a weight layer
            }
            LayerSite.Kind kind = op.contains("Conv") ? LayerSite.Kind.CONV : op.equals("QGemm") ? LayerSite.Kind.GEMM
                    : op.equals("MatMulNBits") ? LayerSite.Kind.OTHER : LayerSite.Kind.MAT_MUL;
            return site(scope, index, node, kind, weight, null,
                    new SplitRefusal(Kind.QUANTIZED, "quantized (" + op + "): its integer weights are not factored"));
        }
        if (!GraphScope.isStandard(node)) {
            return null;
        }
        return switch (op) {
            case "MatMul" -> matMul(scope, index, node);
            case "Gemm" -> gemm(scope, index, node);
            case "Conv" -> conv(scope, index, node);
            case "ConvTranspose" -> {
                GraphScope.Constant weight = constantInput(scope, node, 1);
                yield weight == null ? null : site(scope, index, node, LayerSite.Kind.OTHER, weight, null,
                        new SplitRefusal(Kind.TRANSPOSED_CONV, "transposed convolution: not supported"));
            }
            default -> null;
        };
    }

    private LayerSite matMul(GraphScope scope, int index, NodeProto node) {
        GraphScope.Constant weight = constantInput(scope, node, 1);
        if (weight == null) {
            SplitRefusal dequantized = dequantizedWeight(scope, node, 1);
            if (dequantized != null) {
                return site(scope, index, node, LayerSite.Kind.MAT_MUL, dequantizedSource(scope, node, 1), null, dequantized);
            }
            GraphScope.Constant left = constantInput(scope, node, 0);
            return left == null ? null : site(scope, index, node, LayerSite.Kind.OTHER, left, null,
                    new SplitRefusal(Kind.UNSUPPORTED, "the constant is the left operand (W·x); only x·W products are split"));
        }
        int rank = weight.tensor().getDimsCount();
        SplitRefusal refusal = weightTypeProblem(weight);
        if (refusal == null && rank != 2) {
            refusal = new SplitRefusal(Kind.UNSUPPORTED, rank < 2 ? "its constant operand is a vector, not a matrix"
                    : "its constant operand has " + rank + " dimensions (a batched product); only 2-D weights are split");
        }
        return site(scope, index, node, rank == 2 ? LayerSite.Kind.MAT_MUL : LayerSite.Kind.OTHER, weight, null, refusal);
    }

    private LayerSite gemm(GraphScope scope, int index, NodeProto node) {
        GraphScope.Constant weight = constantInput(scope, node, 1);
        if (weight == null) {
            SplitRefusal dequantized = dequantizedWeight(scope, node, 1);
            return dequantized == null ? null
                    : site(scope, index, node, LayerSite.Kind.GEMM, dequantizedSource(scope, node, 1), null, dequantized);
        }
        SplitRefusal refusal = weightTypeProblem(weight);
        if (refusal == null && weight.tensor().getDimsCount() != 2) {
            refusal = new SplitRefusal(Kind.UNSUPPORTED, "its B operand has " + weight.tensor().getDimsCount()
                    + " dimensions; Gemm takes a matrix");
        }
        GraphScope.Constant bias = null;
        GraphScope.Constant c = constantInput(scope, node, 2);
        if (refusal == null && c != null && c.origin() != GraphScope.Origin.SPARSE) {
            long out = weight.tensor().getDims(Attributes.integer(node, "transB", 0) != 0 ? 0 : 1);
            List<Long> dims = c.tensor().getDimsList();
            if (dims.equals(List.of(out)) || dims.equals(List.of(1L, out))) {
                bias = c;
            }
        }
        return site(scope, index, node, LayerSite.Kind.GEMM, weight, bias, refusal);
    }

    private LayerSite conv(GraphScope scope, int index, NodeProto node) {
        GraphScope.Constant weight = constantInput(scope, node, 1);
        if (weight == null) {
            SplitRefusal dequantized = dequantizedWeight(scope, node, 1);
            return dequantized == null ? null
                    : site(scope, index, node, LayerSite.Kind.CONV, dequantizedSource(scope, node, 1), null, dequantized);
        }
        SplitRefusal refusal = weightTypeProblem(weight);
        int rank = weight.tensor().getDimsCount();
        if (refusal == null && (rank < 3 || rank > 4)) {
            refusal = rank == 5 ? new SplitRefusal(Kind.CONV_3D, "3-D convolution: only 1-D and 2-D convolutions are split")
                    : new SplitRefusal(Kind.UNSUPPORTED, "its weight has " + rank + " dimensions, which no convolution has");
        }
        GraphScope.Constant bias = refusal == null ? constantInput(scope, node, 2) : null;
        if (bias != null && bias.origin() == GraphScope.Origin.SPARSE) {
            bias = null;
        }
        return site(scope, index, node, LayerSite.Kind.CONV, weight, bias, refusal);
    }

    private static SplitRefusal weightTypeProblem(GraphScope.Constant weight) {
        if (weight.origin() == GraphScope.Origin.SPARSE) {
            return new SplitRefusal(Kind.UNSUPPORTED, "its weight is a sparse tensor; only dense weights are split");
        }
        int type = weight.tensor().getDataType();
        if (ElementTypes.floatingType(type).isPresent()) {
            return null;
        }
        if (ElementTypes.isInteger(type)) {
            return new SplitRefusal(Kind.QUANTIZED, "quantized: its weight holds " + ElementTypes.name(type) + " elements");
        }
        return new SplitRefusal(Kind.UNSUPPORTED, "its weight holds " + ElementTypes.name(type)
                + " elements; only floating-point weights are split");
    }

    /** Why a layer whose weight is computed by DequantizeLinear from a constant is not split, or null. */
    private static SplitRefusal dequantizedWeight(GraphScope scope, NodeProto node, int input) {
        return dequantizedSource(scope, node, input) == null ? null
                : new SplitRefusal(Kind.QUANTIZED, "quantized: its weight is dequantized (DequantizeLinear) from integers");
    }

    private static GraphScope.Constant dequantizedSource(GraphScope scope, NodeProto node, int input) {
        if (node.getInputCount() <= input) {
            return null;
        }
        NodeProto producer = scope.producer(node.getInput(input));
        if (producer == null || !producer.getOpType().equals("DequantizeLinear") || producer.getInputCount() == 0) {
            return null;
        }
        return scope.constant(producer.getInput(0));
    }

    private static GraphScope.Constant constantInput(GraphScope scope, NodeProto node, int input) {
        if (node.getInputCount() <= input || node.getInput(input).isEmpty()) {
            return null;
        }
        return scope.constant(node.getInput(input));
    }

    private LayerSite site(GraphScope scope, int index, NodeProto node, LayerSite.Kind kind, GraphScope.Constant weight,
                           GraphScope.Constant bias, SplitRefusal refusal) {
        return new LayerSite(uniqueName(node, index), scope.path(), index, node, kind, weight, bias, refusal);
    }

    /**
     * The node's own name when it has one no other node shares; otherwise one derived from what stays stable
     * across exports (its first output's name), made unique with a {@code #n} suffix.
     */
    private String uniqueName(NodeProto node, int index) {
        boolean named = !node.getName().isEmpty();
        String base = named ? node.getName()
                : node.getOutputCount() > 0 && !node.getOutput(0).isEmpty() ? node.getOutput(0)
                : node.getOpType() + "_" + index;
        boolean ownName = named && nodeNameCounts.get(base) == 1;
        String name = base;
        for (int suffix = 2; usedLayerNames.contains(name) || (!ownName && nodeNameCounts.containsKey(name)); suffix++) {
            name = base + "#" + suffix;
        }
        usedLayerNames.add(name);
        return name;
    }
}
