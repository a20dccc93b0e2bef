package dev.wsvd.onnx.rewrite;

import dev.wsvd.layer.ConvGeometry;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerGeometry;
import dev.wsvd.layer.PairGeometry;
import dev.wsvd.onnx.Attributes;
import dev.wsvd.onnx.GraphPath;
import dev.wsvd.onnx.GraphScope;
import dev.wsvd.onnx.LayerSite;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.proto.Onnx.AttributeProto;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorShapeProto;
import dev.wsvd.onnx.proto.Onnx.TypeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import dev.wsvd.onnx.wire.ElementTypes;
import dev.wsvd.onnx.wire.WireModel;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Subnormals;
import dev.wsvd.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces chosen layers by their factor pairs: node {@code <layer>} becomes {@code <layer>.0} then
 * {@code <layer>.1}, of the same op, at its place in the node list (so the graph stays topologically sorted),
 * with initializers {@code <layer>.0.weight}, {@code <layer>.1.weight} (and biases) in the layer's own graph.
 *
 * <ul>
 *   <li>MatMul stores its right operand {@code in x out}: {@code <layer>.0} multiplies by {@code first}ᵀ,
 *       {@code <layer>.1} by {@code second}ᵀ.</li>
 *   <li>Gemm keeps its transB convention for both weights and transA on the first node; the weight was given
 *       to the split with alpha folded in, so both nodes have alpha 1. The second node takes the pair's second
 *       bias as C (beta 1), or else the original C with the original beta.</li>
 *   <li>Conv: {@code <layer>.0} is a 1x1 convolution (stride 1, no padding, same groups), {@code <layer>.1}
 *       keeps every attribute of the original (kernel, strides, pads or auto_pad, dilations, groups).</li>
 * </ul>
 * Factors are written in the original weight's element type (float16 weights come back as float16), with values
 * below that type's smallest normal number flushed to zero ({@link Subnormals}: they would only slow inference). The
 * original weight (and a replaced bias) is removed only if nothing else in the model still uses it.
 */
public final class LayerRewriter {
    private record Split(OnnxLayer layer, LayerSite site, FactorPair pair, Tensor offset) {
    }

    private final ModelProto skeleton;
    private final ModelNames names;
    private final Map<GraphPath, Map<Integer, Split>> splits = new HashMap<>();
    private final Set<String> released = new HashSet<>();
    private final boolean initializersAreInputs;
    private final long opset;
    private WireModel.NewTensors tensors;

    private LayerRewriter(OnnxModel source) {
        this.skeleton = source.wire().skeleton();
        this.names = new ModelNames(skeleton.getGraph());
        this.initializersAreInputs = skeleton.getIrVersion() < 4;
        this.opset = source.opsetVersion();
    }

    /**
     * A new model in which each given layer is replaced by its factor pair (see {@link FactorPair}): nodes
     * {@code <layer>.0} and {@code <layer>.1} of the same op, initializers {@code <layer>.0.weight},
     * {@code <layer>.1.weight} (and {@code .bias}) in the layer's element type. {@code source} is unchanged. The
     * pairs are copied: close them whenever convenient. The new model shares the source's untouched weights and
     * must be closed too.
     *
     * @throws IllegalArgumentException if a layer is not from the source's {@code layers()}, cannot be split, or a
     *                                  pair's shapes do not match the layer
     */
    public static OnnxModel rewrite(OnnxModel source, Map<OnnxLayer, FactorPair> pairs) {
        return rewrite(source, pairs, Map.of());
    }

    /**
     * As {@link #rewrite(OnnxModel, Map)}, and for each layer of {@code offsets} (a split Linear layer) an {@code Add}
     * of that vector ({@code out}) after its second node: {@code <layer>.1} then writes {@code <layer>.1.output} and
     * the {@code Add} node {@code <layer>.offset} writes the layer's original output. This is how a refitted layer
     * without a bias of its own (a MatMul) gets its bias change (the sequential refinement).
     *
     * @throws IllegalArgumentException as {@link #rewrite(OnnxModel, Map)}, and if an offset belongs to a layer not
     *                                  split, to a convolution, or does not have one element per output
     */
    public static OnnxModel rewrite(OnnxModel source, Map<OnnxLayer, FactorPair> pairs, Map<OnnxLayer, Tensor> offsets) {
        Objects.requireNonNull(pairs, "pairs");
        Objects.requireNonNull(offsets, "offsets");
        LayerRewriter rewriter = new LayerRewriter(source);
        for (Map.Entry<OnnxLayer, Tensor> offset : offsets.entrySet()) {
            OnnxLayer layer = offset.getKey();
            if (!pairs.containsKey(layer)) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' has an output offset but is not split");
            }
            LayerGeometry geometry = layer.geometry().orElseThrow();
            if (geometry instanceof ConvGeometry) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' is a convolution; output offsets are for Linear layers");
            }
            expect(layer, "output offset", offset.getValue(), Shape.of(geometry.outChannels()));
            requireFinite(layer, "output offset", offset.getValue());
        }
        pairs.forEach((layer, pair) -> rewriter.add(source.site(layer), layer, pair, offsets.get(layer)));
        return OnnxModel.of(source.wire().derive(rewriter::rewrittenSkeleton));
    }

    /** {@link #rewrite(OnnxModel, Map)} of a single layer. */
    public static OnnxModel rewrite(OnnxModel source, OnnxLayer layer, FactorPair pair) {
        return rewrite(source, Map.of(layer, pair));
    }

    private ModelProto rewrittenSkeleton(WireModel.NewTensors newTensors) {
        this.tensors = newTensors;
        GraphProto graph = GraphTransform.apply(skeleton.getGraph(), GraphPath.MAIN, this::splitNodes);
        Set<String> unused = new HashSet<>(released);
        unused.removeAll(usedNames(graph));
        if (!unused.isEmpty()) {
            graph = GraphTransform.apply(graph, GraphPath.MAIN, (path, g) -> removeConstants(g, unused));
        }
        return skeleton.toBuilder().setGraph(graph).build();
    }

    private void add(LayerSite site, OnnxLayer layer, FactorPair pair, Tensor offset) {
        checkPair(layer, pair);
        splits.computeIfAbsent(site.graph(), path -> new HashMap<>()).put(site.nodeIndex(), new Split(layer, site, pair, offset));
    }

    private static void checkPair(OnnxLayer layer, FactorPair pair) {
        LayerGeometry geometry = layer.geometry().orElseThrow();
        int rank = pair.rank();
        if (geometry instanceof ConvGeometry conv && rank % conv.groups() != 0) {
            throw new IllegalArgumentException("layer '" + layer.name() + "': rank " + rank + " is not a multiple of its "
                    + conv.groups() + " groups");
        }
        PairGeometry layers = PairGeometry.of(geometry, rank);
        expect(layer, "first factor", pair.first(), layers.first().weightShape());
        expect(layer, "second factor", pair.second(), layers.second().weightShape());
        requireFinite(layer, "first factor", pair.first());
        requireFinite(layer, "second factor", pair.second());
        if ((pair.firstBias() != null || pair.secondBias() != null) && !geometry.hasBias()) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' has no constant per-output bias, but the pair"
                    + " carries biases; split it without a bias (its bias input, if any, is kept as it is)");
        }
        if (pair.firstBias() != null) {
            expect(layer, "first bias", pair.firstBias(), Shape.of(rank));
        }
        if (pair.secondBias() != null) {
            expect(layer, "second bias", pair.secondBias(), Shape.of(geometry.outChannels()));
        }
    }

    /** A NaN or infinity would make every output of the model NaN: refuse it here, where the layer is known. */
    private static void requireFinite(OnnxLayer layer, String what, Tensor tensor) {
        long index = Kernels.firstNonFinite(tensor);
        if (index >= 0) {
            throw new IllegalArgumentException("layer '" + layer.name() + "': the " + what + " holds " + tensor.getDouble(index)
                    + " at element " + index + "; a split must produce finite factors");
        }
    }

    private static void expect(OnnxLayer layer, String what, Tensor tensor, Shape expected) {
        if (!tensor.shape().equals(expected)) {
            throw new IllegalArgumentException("layer '" + layer.name() + "': the " + what + " has shape " + tensor.shape()
                    + ", expected " + expected);
        }
    }

    private GraphProto splitNodes(GraphPath path, GraphProto graph) {
        Map<Integer, Split> here = splits.get(path);
        if (here == null) {
            return graph;
        }
        GraphProto.Builder builder = graph.toBuilder().clearNode();
        for (int n = 0; n < graph.getNodeCount(); n++) {
            Split split = here.get(n);
            if (split == null) {
                builder.addNode(graph.getNode(n));
            } else {
                emit(split, graph.getNode(n), builder);
            }
        }
        return builder.build();
    }

    private void emit(Split split, NodeProto node, GraphProto.Builder graph) {
        LayerSite site = split.site();
        FactorPair pair = split.pair();
        String layer = split.layer().name();
        DType weightType = ElementTypes.floatingType(site.weight().tensor().getDataType()).orElseThrow();
        DType biasType = site.bias() != null
                ? ElementTypes.floatingType(site.bias().tensor().getDataType()).orElse(weightType) : weightType;
        String middle = names.newValue(layer + ".0.output");
        NodeProto.Builder first = NodeProto.newBuilder().setName(names.newNode(layer + ".0")).setOpType(node.getOpType())
                .setDomain(node.getDomain()).addInput(node.getInput(0)).addOutput(middle);
        NodeProto.Builder second = NodeProto.newBuilder().setName(names.newNode(layer + ".1")).setOpType(node.getOpType())
                .setDomain(node.getDomain()).addInput(middle);
        NodeProto.Builder offset = null;
        if (split.offset() == null) {
            second.addAllOutput(node.getOutputList());
        } else {
            String product = names.newValue(layer + ".1.output");
            second.addOutput(product);
            offset = NodeProto.newBuilder().setName(names.newNode(layer + ".offset")).setOpType("Add").addInput(product)
                    .addInput(initializer(graph, layer + ".offset", split.offset(), false, weightType))
                    .addAllOutput(node.getOutputList());
        }
        released.add(site.weight().name());
        switch (site.kind()) {
            case MAT_MUL -> {
                first.addInput(initializer(graph, layer + ".0.weight", pair.first(), true, weightType));
                second.addInput(initializer(graph, layer + ".1.weight", pair.second(), true, weightType));
            }
            case GEMM -> gemm(node, site, pair, layer, weightType, biasType, first, second, graph);
            case CONV -> conv(node, site, pair, layer, weightType, biasType, first, second, graph);
            case OTHER -> throw new AssertionError("checked compressible");
        }
        graph.addNode(first).addNode(second);
        if (offset != null) {
            graph.addNode(offset);
        }
    }

    private void gemm(NodeProto node, LayerSite site, FactorPair pair, String layer, DType weightType, DType biasType,
                      NodeProto.Builder first, NodeProto.Builder second, GraphProto.Builder graph) {
        boolean transB = Attributes.integer(node, "transB", 0) != 0;
        long transA = Attributes.integer(node, "transA", 0);
        first.addInput(initializer(graph, layer + ".0.weight", pair.first(), !transB, weightType));
        second.addInput(initializer(graph, layer + ".1.weight", pair.second(), !transB, weightType));
        boolean cRequired = opset < 11;
        if (pair.firstBias() != null) {
            first.addInput(initializer(graph, layer + ".0.bias", pair.firstBias(), false, biasType));
        } else if (cRequired) {
            first.addInput(zeros(graph, layer + ".0.bias", pair.rank(), biasType));
        }
        String originalC = node.getInputCount() > 2 ? node.getInput(2) : "";
        if (pair.secondBias() != null) {
            second.addInput(initializer(graph, layer + ".1.bias", pair.secondBias(), false, biasType));
            released.add(site.bias().name());
        } else if (!originalC.isEmpty()) {
            second.addInput(originalC);
            AttributeProto beta = Attributes.find(node, "beta");
            if (beta != null) {
                second.addAttribute(beta);
            }
        } else if (cRequired) {
            second.addInput(zeros(graph, layer + ".1.bias", outputs(site), biasType));
        }
        if (transA != 0) {
            first.addAttribute(Attributes.ofInt("transA", transA));
        }
        if (transB) {
            first.addAttribute(Attributes.ofInt("transB", 1));
            second.addAttribute(Attributes.ofInt("transB", 1));
        }
    }

    private static long outputs(LayerSite site) {
        boolean transB = Attributes.integer(site.node(), "transB", 0) != 0;
        return site.weight().tensor().getDims(transB ? 0 : 1);
    }

    private void conv(NodeProto node, LayerSite site, FactorPair pair, String layer, DType weightType, DType biasType,
                      NodeProto.Builder first, NodeProto.Builder second, GraphProto.Builder graph) {
        first.addInput(initializer(graph, layer + ".0.weight", pair.first(), false, weightType));
        second.addInput(initializer(graph, layer + ".1.weight", pair.second(), false, weightType));
        if (pair.firstBias() != null) {
            first.addInput(initializer(graph, layer + ".0.bias", pair.firstBias(), false, biasType));
        }
        String originalBias = node.getInputCount() > 2 ? node.getInput(2) : "";
        if (pair.secondBias() != null) {
            second.addInput(initializer(graph, layer + ".1.bias", pair.secondBias(), false, biasType));
            released.add(site.bias().name());
        } else if (!originalBias.isEmpty()) {
            second.addInput(originalBias);
        }
        int axes = pair.first().shape().rank() - 2;
        long[] ones = new long[axes];
        Arrays.fill(ones, 1);
        first.addAttribute(Attributes.ofInt("group", Attributes.integer(node, "group", 1)))
                .addAttribute(Attributes.ofInts("kernel_shape", ones))
                .addAttribute(Attributes.ofInts("strides", ones))
                .addAttribute(Attributes.ofInts("dilations", ones))
                .addAttribute(Attributes.ofInts("pads", new long[2 * axes]));
        second.addAllAttribute(node.getAttributeList());
    }

    /** Adds an initializer holding {@code values} (transposed first if asked) in {@code storage} type; returns its name. */
    private String initializer(GraphProto.Builder graph, String wanted, Tensor values, boolean transpose, DType storage) {
        String name = names.newValue(wanted);
        TensorProto tensor;
        // converted to the storage type first, then flushed: a value normal in float32 may be subnormal in float16
        try (Tensor oriented = transpose ? values.transpose() : values.copy(); Tensor stored = oriented.to(storage)) {
            Subnormals.flushToZero(stored);
            tensor = tensors.add(name, stored, storage);
        }
        graph.addInitializer(tensor);
        if (initializersAreInputs) {
            graph.addInput(valueInfo(tensor));
        }
        return name;
    }

    private String zeros(GraphProto.Builder graph, String wanted, long length, DType storage) {
        try (Tensor zeros = Tensor.allocate(DType.F32, Shape.of(length))) {
            return initializer(graph, wanted, zeros, false, storage);
        }
    }

    private static ValueInfoProto valueInfo(TensorProto tensor) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        tensor.getDimsList().forEach(dim -> shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim)));
        return ValueInfoProto.newBuilder().setName(tensor.getName())
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(tensor.getDataType()).setShape(shape)))
                .build();
    }

    /** Names read anywhere in the model: node inputs and graph outputs of every graph. */
    private static Set<String> usedNames(GraphProto main) {
        Set<String> used = new HashSet<>();
        new GraphScope(null, GraphPath.MAIN, main).visit(scope -> {
            scope.graph().getNodeList().forEach(node -> used.addAll(node.getInputList()));
            scope.graph().getOutputList().forEach(output -> used.add(output.getName()));
        });
        return used;
    }

    /** The graph without the initializers and Constant nodes defining {@code unused}, and their input/value_info entries. */
    private static GraphProto removeConstants(GraphProto graph, Set<String> unused) {
        Set<String> removed = new HashSet<>();
        graph.getInitializerList().stream().map(TensorProto::getName).filter(unused::contains).forEach(removed::add);
        graph.getNodeList().stream().filter(n -> isConstantFor(n, unused)).forEach(n -> removed.add(n.getOutput(0)));
        if (removed.isEmpty()) {
            return graph;
        }
        GraphProto.Builder builder = graph.toBuilder().clearInitializer().clearNode().clearInput().clearValueInfo();
        graph.getInitializerList().stream().filter(t -> !removed.contains(t.getName())).forEach(builder::addInitializer);
        graph.getNodeList().stream().filter(n -> !isConstantFor(n, removed)).forEach(builder::addNode);
        graph.getInputList().stream().filter(v -> !removed.contains(v.getName())).forEach(builder::addInput);
        graph.getValueInfoList().stream().filter(v -> !removed.contains(v.getName())).forEach(builder::addValueInfo);
        return builder.build();
    }

    private static boolean isConstantFor(NodeProto node, Set<String> names) {
        return node.getOpType().equals("Constant") && GraphScope.isStandard(node) && node.getOutputCount() == 1
                && names.contains(node.getOutput(0));
    }
}
