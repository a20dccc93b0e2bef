package dev.wsvd;

import dev.wsvd.CostMetric;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.layer.ConvGeometry;
import dev.wsvd.layer.LayerCost;
import dev.wsvd.layer.LayerGeometry;
import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.selection.LayerPatterns;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The model's weight layers as a run sees them: each with its cost model and, when it is never split in
 * this run, the reason. Every layer whose cost can be computed counts in the model's totals, split or not
 * (as the reference counts every Conv and Linear layer); layers the ONNX reader cannot describe as Linear
 * or Conv are listed apart so the caller can say so.
 *
 * <p>Reasons, first that applies: the user's ignore list; a layer format the split does not handle
 * (quantized, shared or computed weight...); a depthwise convolution; in auto mode, any grouped convolution
 * (the reference leaves them out of auto mode; manual mode splits them); a layer no rank makes cheaper in
 * the run's metric.
 */
final class LayerInventory {

    /**
     * @param layers    every layer with a cost, in graph order
     * @param uncounted  layers found but neither Linear nor Conv, with the reader's reason
     * @param macsPerRow MatMul layers whose rows per sample are not known (input sizes not given): their MACs are
     *                   per row, which leaves ratios unchanged when every such layer sees the same rows
     * @param unmeasured layers whose MACs cannot be counted at all, with the reason: never split, and left out of the
     *                   totals (the report counts MACs in either metric), without blocking any other layer
     */
    record Plan(List<PlannedLayer> layers, List<OnnxLayer> uncounted, List<String> macsPerRow, List<Unmeasured> unmeasured) {
        Plan {
            layers = List.copyOf(layers);
            uncounted = List.copyOf(uncounted);
            macsPerRow = List.copyOf(macsPerRow);
            unmeasured = List.copyOf(unmeasured);
        }

        List<PlannedLayer> candidates() {
            return layers.stream().filter(PlannedLayer::isCandidate).toList();
        }

        List<String> names() {
            return layers.stream().map(PlannedLayer::name).toList();
        }

        /** The planned layers' names, then the unmeasured ones': every name a rule or pattern may match. */
        List<String> allNames() {
            List<String> names = new ArrayList<>(names());
            unmeasured.forEach(u -> names.add(u.layer().name()));
            return names;
        }

        PlannedLayer layer(String name) {
            return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no layer " + name));
        }
    }

    /**
     * A layer left out because its MACs cannot be counted (see {@link OnnxLayer#macsUnknownReason()}).
     *
     * @param reason why, as users read it after "MACs unknown: "
     */
    record Unmeasured(OnnxLayer layer, String reason) {
        /** One line for notes and errors: {@code MACs unknown: <reason>}. */
        String describe() {
            return "MACs unknown: " + reason;
        }
    }

    private LayerInventory() {
    }

    /**
     * @param ignore names or patterns of layers to keep; each must match some layer
     * @param auto   whether this is auto mode (grouped convolutions are then kept)
     * @throws CompressionException if the layers cannot be read or an ignore pattern matches no layer
     */
    static Plan of(OnnxModel model, InputShapes shapes, CostMetric metric, List<String> ignore, boolean auto)
            throws CompressionException {
        List<OnnxLayer> found;
        try {
            found = model.layers(shapes);
        } catch (OnnxFormatException e) {
            throw new ModelFormatException("cannot list the weight layers of " + model.label() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CompressionException(model.label() + ": " + e.getMessage()
                    + "; give every input's shape with --input-shape NAME=DIMS (e.g. input_ids=1x128)", e);
        }
        try {
            for (OnnxLayer layer : found) {
                model.requireFiniteWeights(layer); // split or not: the README promises exit 1 for any NaN weight
            }
        } catch (OnnxFormatException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
        LayerPatterns ignored = LayerPatterns.of(ignore);
        List<PlannedLayer> layers = new ArrayList<>();
        List<OnnxLayer> uncounted = new ArrayList<>();
        List<String> perRow = new ArrayList<>();
        List<Unmeasured> unmeasured = new ArrayList<>();
        for (OnnxLayer layer : found) {
            Optional<LayerGeometry> geometry = layer.geometry();
            if (geometry.isEmpty()) {
                uncounted.add(layer);
                continue;
            }
            LayerCost cost = LayerCost.of(geometry.get());
            if (!cost.knowsMacs()) {
                // this layer alone is left out, whatever the metric: the report's rows and totals count MACs in both
                unmeasured.add(new Unmeasured(layer, layer.macsUnknownReason().orElse("its output size is not known")));
                continue;
            }
            if (!layer.macsKnown()) {
                perRow.add(layer.name());
            }
            layers.add(new PlannedLayer(layer, cost, keptReason(layer, cost, metric, ignore, ignored, auto)));
        }
        List<String> names = new ArrayList<>(layers.stream().map(PlannedLayer::name).toList());
        unmeasured.forEach(u -> names.add(u.layer().name())); // an ignore pattern may name them: it matches, not an error
        List<String> unmatched = ignored.unmatched(names);
        if (!unmatched.isEmpty()) {
            throw new CompressionException("the ignore list names " + unmatched + ", which match no weight layer of "
                    + model.label() + "; its layers are " + ManualRatios.preview(names)
                    + " (run `wsvd inspect MODEL` to list them)");
        }
        return new Plan(layers, uncounted, perRow, unmeasured);
    }

    private static LayerOutcome.Kept keptReason(OnnxLayer layer, LayerCost cost, CostMetric metric, List<String> ignore,
                                                LayerPatterns ignored, boolean auto) {
        if (ignored.matches(layer.name())) {
            String pattern = ignore.stream().filter(p -> LayerPatterns.of(List.of(p)).matches(layer.name())).findFirst().orElseThrow();
            return new LayerOutcome.Kept(SkipReason.IGNORED, pattern.equals(layer.name()) ? null : "matches " + pattern);
        }
        Optional<SplitRefusal> formatRefusal = layer.refusal(); // quantized, depthwise, transposed...
        if (formatRefusal.isPresent()) {
            return kept(formatRefusal.get());
        }
        if (auto && layer.geometry().orElseThrow() instanceof ConvGeometry conv && conv.groups() > 1) {
            return new LayerOutcome.Kept(SkipReason.GROUPED_CONV, "groups = " + conv.groups()
                    + ": left out of auto mode, as in the reference; manual mode can split it");
        }
        return cost.refusal(metric.unit()).map(LayerInventory::kept).orElse(null);
    }

    /** The one place a layer's refusal becomes a report's skip reason: by its kind, with its sentence as detail. */
    static LayerOutcome.Kept kept(SplitRefusal refusal) {
        SkipReason reason = switch (refusal.kind()) {
            case QUANTIZED -> SkipReason.QUANTIZED;
            case DEPTHWISE_CONV -> SkipReason.GROUPED_CONV;
            case NO_SAVING -> SkipReason.NO_SAVING;
            case TRANSPOSED_CONV, CONV_3D, UNSUPPORTED -> SkipReason.UNSUPPORTED;
        };
        // the refusal's sentence may start with the reason's own label ("quantized: its weight holds INT8 elements"),
        // which the report prints before the detail: said once
        String detail = refusal.reason();
        String label = reason.label() + ": ";
        return new LayerOutcome.Kept(reason, detail.startsWith(label) ? detail.substring(label.length()) : detail);
    }
}
