package dev.wsvd.cli;

import dev.wsvd.layer.CostUnit;
import dev.wsvd.layer.LayerCost;
import dev.wsvd.layer.SplitRefusal;
import dev.wsvd.onnx.OnnxLayer;

/**
 * One line of {@code wsvd inspect}: a weight layer with its cost from the layer cost model and why it
 * cannot be split, if it cannot. Null fields are unknown or do not apply.
 *
 * @param macs          per sample, or per row for a MatMul whose row count is unknown ({@code macs_per} is {@code row} in JSON)
 * @param macsUnknown   why {@code macs} is null (a layer that is not Linear or Conv, or a convolution whose output
 *                      size could not be found), else null
 * @param breakEvenRank smallest rank at which the pair costs as many MACs as the layer (parameters when MACs are
 *                      unknown): splits need a lower rank
 * @param breakEvenRankParams the same for parameters
 */
record LayerSummary(String name, String op, String graph, String weight, long[] weightShape, String weightType,
                    String geometry, Long params, Long macs, String macsPer, String macsUnknown, Integer maxRank, Integer breakEvenRank,
                    Integer breakEvenRankParams, boolean compressible, String reason) {

    static LayerSummary of(OnnxLayer layer) {
        long[] shape = layer.weightShape().toArray();
        if (layer.geometry().isEmpty()) {
            return new LayerSummary(layer.name(), layer.opType(), layer.graph(), layer.weightName(), shape, layer.weightType(),
                    null, null, null, null, "MACs are counted for Linear and 1-D/2-D Conv layers only", null, null, null, false,
                    layer.notCompressibleReason().orElse(null));
        }
        LayerCost cost = LayerCost.of(layer.geometry().get());
        Long macs = null;
        String macsPer = null;
        String macsUnknown = null;
        if (cost.knowsMacs()) {
            macs = cost.originalMacs();
            macsPer = layer.macsKnown() ? "sample" : "row";
        } else {
            macsUnknown = layer.macsUnknownReason().orElse("its output size is not known");
        }
        CostUnit metric = cost.knowsMacs() ? CostUnit.MAC : CostUnit.MEMORY;
        String reason = layer.refusal().or(() -> cost.refusal(metric)).map(SplitRefusal::reason).orElse(null);
        if (reason == null && macsUnknown != null) {
            reason = "MACs unknown: " + macsUnknown; // compress leaves such a layer out, whatever the metric
        }
        return new LayerSummary(layer.name(), layer.opType(), layer.graph(), layer.weightName(), shape, layer.weightType(),
                layer.geometry().get().toString(), cost.originalParams(), macs, macsPer, macsUnknown, cost.maxRank(),
                cost.breakEvenRank(metric), cost.breakEvenRank(CostUnit.MEMORY), reason == null, reason);
    }
}
