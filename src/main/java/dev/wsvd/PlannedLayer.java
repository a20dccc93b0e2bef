package dev.wsvd;

import dev.wsvd.LayerOutcome;
import dev.wsvd.CostMetric;
import dev.wsvd.layer.LayerCost;
import dev.wsvd.onnx.OnnxLayer;

import java.util.Objects;

/**
 * A weight layer of the model with its cost model, and whether it may be split at all.
 *
 * <p>Costs are per sample: a MatMul applied to a sequence runs once per row, so its MACs are the cost
 * model's Linear MACs times {@link OnnxLayer#rowsPerSample()}. Ratios are unaffected (both sides scale).
 *
 * @param layer the layer in the source model
 * @param cost  its cost model
 * @param kept  why it is never split in this run (structure, ignore list), or null for a candidate
 */
record PlannedLayer(OnnxLayer layer, LayerCost cost, LayerOutcome.Kept kept) {

    PlannedLayer {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(cost, "cost");
    }

    String name() {
        return layer.name();
    }

    boolean isCandidate() {
        return kept == null;
    }

    PlannedLayer keep(LayerOutcome.Kept reason) {
        return new PlannedLayer(layer, cost, reason);
    }

    /** Rows per sample a MatMul runs for (1 for Gemm and Conv, whose positions are in the geometry). */
    long rows() {
        return layer.rowsPerSample();
    }

    long originalParams() {
        return cost.originalParams();
    }

    long originalMacs() {
        return Math.multiplyExact(cost.originalMacs(), rows());
    }

    long original(CostMetric metric) {
        return metric == CostMetric.MAC ? originalMacs() : originalParams();
    }

    long pairParams(int rank) {
        return cost.params(rank);
    }

    long pairMacs(int rank) {
        return Math.multiplyExact(cost.macs(rank), rows());
    }

    long pairCost(int rank, CostMetric metric) {
        return metric == CostMetric.MAC ? pairMacs(rank) : pairParams(rank);
    }
}
