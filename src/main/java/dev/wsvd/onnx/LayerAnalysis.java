package dev.wsvd.onnx;

import dev.wsvd.layer.ConvGeometry;
import dev.wsvd.layer.LayerGeometry;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.wire.OnnxFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the layer sites of a model into {@link OnnxLayer}s with complete geometry: output sizes come from the
 * graph's value_info (symbols bound by the user's input shapes) and, for layers still missing them, from one
 * {@link ShapeProbe} run: of the main graph, or, when layers inside If branches need sizes, of the main graph with
 * the branches inlined ({@link BranchInlining}). A layer inside a Loop or Scan body is not measured: when its sizes
 * are not declared, a convolution there has no MAC count, and says why ({@link OnnxLayer#macsUnknownReason()}).
 *
 * <p>MACs are per sample: an input whose only symbolic dimension is the first (the batch) runs with batch 1.
 * When the probe would need other input sizes the user did not give: if only MatMul row counts are missing,
 * their MACs are counted per row (a transformer's layers all see the same rows, so ratios are unaffected)
 * and the layers say so; a Conv needs its output size, so that is an error listing the symbolic inputs.
 */
final class LayerAnalysis {
    private LayerAnalysis() {
    }

    static List<OnnxLayer> analyze(OnnxModel model, InputShapes given) throws OnnxFormatException {
        ModelProto skeleton = model.skeleton();
        LayerConsistency.checkAcyclic(skeleton.getGraph(), model.label());
        List<LayerSite> sites = LayerFinder.find(skeleton);
        for (LayerSite site : sites) {
            LayerConsistency.checkAttributes(site, skeleton.getGraph(), model.label());
        }
        ModelInputs inputs = ModelInputs.of(skeleton.getGraph());
        inputs.check(given, model.label());
        ValueShapes shapes = ValueShapes.declared(skeleton, inputs, given);

        Set<String> wanted = new LinkedHashSet<>();
        Map<LayerSite, List<String>> branchWanted = new LinkedHashMap<>();
        Map<LayerSite, String> unknown = new HashMap<>(); // why a layer's sizes stay unknown
        boolean convMissing = false;
        for (LayerSite site : sites) {
            // only layers that can be split are worth a run: an unsupported one must not make the probe fail
            if (site.refusal() != null || sizesKnown(site, shapes)) {
                continue;
            }
            String outside = BranchInlining.outsideBranches(site.graph(), skeleton.getGraph());
            if (outside != null) {
                unknown.put(site, "it is inside the " + outside + ", whose value sizes exist only while it runs (wsvd"
                        + " measures the main graph and If branches only)");
            } else if (site.graph().isMain()) {
                wanted.addAll(probeValues(site));
            } else {
                branchWanted.put(site, probeValues(site));
            }
            convMissing |= site.kind() == LayerSite.Kind.CONV && outside == null;
        }
        Map<LayerSite, Map<String, long[]>> branchShapes = new HashMap<>();
        if (!wanted.isEmpty() || !branchWanted.isEmpty()) {
            List<ModelInputs.Input> unresolved = inputs.unresolved(given);
            if (unresolved.isEmpty()) {
                Map<String, long[]> inputDims = new HashMap<>();
                for (ModelInputs.Input input : inputs.all()) {
                    inputDims.put(input.name(), ModelInputs.runDims(input, given));
                }
                if (!branchWanted.isEmpty()) {
                    measureBranches(model, branchWanted, wanted, inputs, inputDims, shapes, branchShapes, unknown);
                }
                if (!wanted.isEmpty()) {
                    ShapeProbe.measure(model, wanted, inputs, inputDims).forEach(shapes::put);
                }
            } else if (convMissing || !given.isEmpty()) {
                throw new IllegalArgumentException(model.label() + ": the output sizes of its layers depend on input sizes"
                        + " that are not fixed; give a shape for each of these inputs (e.g. --input-shape "
                        + unresolved.getFirst().name() + "=" + example(unresolved.getFirst()) + "): "
                        + ModelInputs.list(unresolved));
            } else {
                branchWanted.keySet().forEach(site -> unknown.put(site, "its sizes depend on input sizes that are not"
                        + " given (--input-shape)"));
            }
        }
        List<OnnxLayer> layers = new ArrayList<>(sites.size());
        for (LayerSite site : sites) {
            ValueShapes seen = branchShapes.containsKey(site) ? shapes.with(branchShapes.get(site)) : shapes;
            LayerConsistency.checkInput(site, seen, model.label());
            try {
                layers.add(layer(site, skeleton, seen, unknown.get(site)));
            } catch (ArithmeticException e) {
                // a dimension or attribute beyond 32 bits: no real layer has one, so the file is corrupt or hostile
                throw new OnnxFormatException(model.label() + ": layer " + site.node().getName() + " (" + site.node().getOpType()
                        + ") has a weight dimension or attribute too large for any real layer (weight dims "
                        + site.weight().tensor().getDimsList() + "); the model is corrupt");
            }
        }
        return List.copyOf(layers);
    }

    /**
     * Measures the sizes around layers inside If branches, and the main graph's {@code mainWanted} with them, in one
     * ONNX Runtime run of the main graph with the branches inlined ({@link BranchInlining}). What it measures for the
     * main graph goes to {@code shapes} and is removed from {@code mainWanted}; each branch layer's sizes go to
     * {@code branchShapes} under its site (a name may mean different values in sibling branches). When that run
     * fails (a branch the condition would not take may not run on the probe's inputs), the branch layers get the
     * reason in {@code unknown} and the main graph is measured on its own as before.
     */
    private static void measureBranches(OnnxModel model, Map<LayerSite, List<String>> branchWanted, Set<String> mainWanted,
                                        ModelInputs inputs, Map<String, long[]> inputDims, ValueShapes shapes,
                                        Map<LayerSite, Map<String, long[]>> branchShapes, Map<LayerSite, String> unknown) {
        BranchInlining inlined = BranchInlining.of(model.skeleton().getGraph());
        Set<String> graphInputs = new HashSet<>();
        model.skeleton().getGraph().getInputList().forEach(input -> graphInputs.add(input.getName()));
        Set<String> values = new LinkedHashSet<>(mainWanted);
        branchWanted.forEach((site, names) -> names.forEach(name -> values.add(inlined.flatName(site.graph(), name))));
        values.removeAll(graphInputs); // a graph input cannot be an output; its size is the given one
        Map<String, long[]> measured;
        try {
            measured = ShapeProbe.measureInlined(model, inlined.graph(), values, inputs, inputDims);
        } catch (OnnxFormatException e) {
            branchWanted.keySet().forEach(site -> unknown.put(site, "its sizes could not be measured: " + e.getMessage()));
            return;
        }
        for (String value : Set.copyOf(mainWanted)) {
            if (measured.containsKey(value)) {
                shapes.put(value, measured.get(value));
                mainWanted.remove(value);
            }
        }
        branchWanted.forEach((site, names) -> {
            Map<String, long[]> seen = new HashMap<>();
            boolean missing = false;
            for (String name : names) {
                long[] dims = measured.get(inlined.flatName(site.graph(), name));
                if (dims != null) {
                    seen.put(name, dims);
                } else {
                    missing |= !graphInputs.contains(name);
                }
            }
            branchShapes.put(site, seen);
            if (missing) {
                unknown.put(site, "ONNX Runtime did not return the sizes of " + names + " when its If branch was run");
            }
        });
    }

    private static String example(ModelInputs.Input input) {
        if (input.dims() == null) {
            return "1x...";
        }
        long[] dims = input.dims().clone();
        for (int i = 0; i < dims.length; i++) {
            dims[i] = dims[i] >= 0 ? dims[i] : i == 0 ? 1 : 128;
        }
        return InputShapes.format(dims);
    }

    /** Whether the sizes the MAC count needs are known (value_info, a given input shape or a probe). */
    private static boolean sizesKnown(LayerSite site, ValueShapes shapes) {
        NodeProto node = site.node();
        return switch (site.kind()) {
            case GEMM, OTHER -> true;
            case MAT_MUL -> rows(shapes.get(node.getOutput(0))) >= 0 || rows(shapes.get(node.getInput(0))) >= 0;
            case CONV -> {
                boolean inputKnown = ValueShapes.known(shapes.get(node.getInput(0)), 2, spatialEnd(site));
                // SAME padding depends on the input size; explicit padding lets either size give the other
                yield Attributes.string(node, "auto_pad", "NOTSET").startsWith("SAME") ? inputKnown
                        : inputKnown || ValueShapes.known(shapes.get(node.getOutput(0)), 2, spatialEnd(site));
            }
        };
    }

    private static List<String> probeValues(LayerSite site) {
        return site.kind() == LayerSite.Kind.CONV ? List.of(site.node().getInput(0), site.node().getOutput(0))
                : List.of(site.node().getOutput(0));
    }

    private static int spatialEnd(LayerSite site) {
        return site.weight().tensor().getDimsCount();
    }

    /** Rows per sample of a MatMul operand or result: the dims between batch and features; -1 if unknown. */
    private static long rows(long[] dims) {
        if (dims == null) {
            return -1;
        }
        if (dims.length <= 2) {
            return 1;
        }
        long rows = 1;
        for (int i = 1; i < dims.length - 1; i++) {
            if (dims[i] < 0) {
                return -1;
            }
            rows *= dims[i];
        }
        return rows;
    }

    /** @param unknownWhy why the layer's sizes could not be found, if they could not; null otherwise */
    private static OnnxLayer layer(LayerSite site, ModelProto skeleton, ValueShapes shapes, String unknownWhy) {
        String graph = site.graph().describe(skeleton.getGraph());
        TensorProto weight = site.weight().tensor();
        NodeProto node = site.node();
        SplitRefusal refusal = site.refusal();
        return switch (site.kind()) {
            case MAT_MUL -> {
                long rows = rows(shapes.get(node.getOutput(0)));
                if (rows < 0) {
                    rows = rows(shapes.get(node.getInput(0)));
                }
                LayerGeometry geometry = weight.getDimsCount() == 2
                        ? new LinearGeometry(intDim(weight, 0), intDim(weight, 1), false, Math.max(rows, 1)) : null;
                yield new OnnxLayer(site, skeleton, graph, geometry, refusal, rows >= 0, null);
            }
            case GEMM -> {
                boolean transB = Attributes.integer(node, "transB", 0) != 0;
                LayerGeometry geometry = weight.getDimsCount() == 2
                        ? new LinearGeometry(intDim(weight, transB ? 1 : 0), intDim(weight, transB ? 0 : 1), site.bias() != null) : null;
                yield new OnnxLayer(site, skeleton, graph, geometry, refusal, true, null);
            }
            case CONV -> conv(site, skeleton, graph, shapes, unknownWhy);
            case OTHER -> new OnnxLayer(site, skeleton, graph, null, refusal, true, null);
        };
    }

    private static OnnxLayer conv(LayerSite site, ModelProto skeleton, String graph, ValueShapes shapes, String unknownWhy) {
        NodeProto node = site.node();
        TensorProto weight = site.weight().tensor();
        SplitRefusal refusal = site.refusal();
        int axes = weight.getDimsCount() - 2;
        if (axes < 1 || axes > 2) {
            return new OnnxLayer(site, skeleton, graph, null, refusal, true, null);
        }
        int groups = Math.toIntExact(Attributes.integer(node, "group", 1));
        int[] kernel = new int[axes];
        for (int i = 0; i < axes; i++) {
            kernel[i] = intDim(weight, 2 + i);
        }
        int[] stride = ints(Attributes.integers(node, "strides", null), axes, 1);
        int[] dilation = ints(Attributes.integers(node, "dilations", null), axes, 1);
        long[] input = shapes.get(node.getInput(0));
        long[] output = shapes.get(node.getOutput(0));
        boolean inputKnown = ValueShapes.known(input, 2, 2 + axes) && input.length == 2 + axes;
        String autoPad = Attributes.string(node, "auto_pad", "NOTSET");
        int[] padding = new int[2 * axes];
        long[] outputSpatial = new long[0];
        if (ValueShapes.known(output, 2, 2 + axes) && output.length == 2 + axes) {
            outputSpatial = Arrays.copyOfRange(output, 2, 2 + axes);
        }
        for (int i = 0; i < axes; i++) {
            long effectiveKernel = (long) (kernel[i] - 1) * dilation[i] + 1;
            switch (autoPad) {
                case "SAME_UPPER", "SAME_LOWER" -> {
                    if (inputKnown) {
                        long out = (input[2 + i] + stride[i] - 1) / stride[i];
                        long total = Math.max(0, (out - 1) * stride[i] + effectiveKernel - input[2 + i]);
                        long small = total / 2;
                        padding[i] = Math.toIntExact(autoPad.equals("SAME_UPPER") ? small : total - small);
                        padding[axes + i] = Math.toIntExact(total - padding[i]);
                    }
                }
                case "VALID" -> { }
                default -> {
                    int[] pads = ints(Attributes.integers(node, "pads", null), 2 * axes, 0);
                    padding[i] = pads[i];
                    padding[axes + i] = pads[axes + i];
                }
            }
        }
        if (outputSpatial.length == 0 && inputKnown) {
            outputSpatial = new long[axes];
            for (int i = 0; i < axes; i++) {
                long effectiveKernel = (long) (kernel[i] - 1) * dilation[i] + 1;
                outputSpatial[i] = (input[2 + i] + padding[i] + padding[axes + i] - effectiveKernel) / stride[i] + 1;
            }
        }
        ConvGeometry geometry;
        try {
            geometry = new ConvGeometry(Math.multiplyExact(intDim(weight, 1), groups), intDim(weight, 0), groups, kernel,
                    stride, padding, dilation, outputSpatial, site.bias() != null);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new OnnxLayer(site, skeleton, graph, null, refusal != null ? refusal
                    : new SplitRefusal(SplitRefusal.Kind.UNSUPPORTED, "inconsistent convolution: " + e.getMessage()), true, null);
        }
        if (refusal == null && geometry.isDepthwise()) {
            refusal = SplitRefusal.depthwise(geometry);
        }
        boolean macsKnown = outputSpatial.length == axes;
        return new OnnxLayer(site, skeleton, graph, geometry, refusal, macsKnown, macsKnown ? null
                : unknownWhy != null ? unknownWhy : "its output size is neither declared in the model nor measured");
    }

    private static int intDim(TensorProto tensor, int axis) {
        return Math.toIntExact(tensor.getDims(axis));
    }

    private static int[] ints(long[] values, int length, int fallback) {
        int[] result = new int[length];
        Arrays.fill(result, fallback);
        if (values != null) {
            for (int i = 0; i < Math.min(length, values.length); i++) {
                result[i] = Math.toIntExact(values[i]);
            }
        }
        return result;
    }
}
