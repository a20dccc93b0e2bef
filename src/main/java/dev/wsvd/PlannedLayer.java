package dev.wsvd;

import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CostMetric;
import dev.wsvd.layer.LayerCost;
import dev.wsvd.onnx.OnnxLayer;

import java.util.Objects;

/**
 * A weight layer of the model with its cost model, and whether it may be split at all.
 *
 * <p>Costs are per sample, as the cost model gives them (a MatMul's rows per sample are in its geometry).
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

    long originalParams() {
        return cost.originalParams();
    }

    long originalMacs() {
        return cost.originalMacs();
    }

    long original(CostMetric metric) {
        return cost.original(metric.unit());
    }

    long pairParams(int rank) {
        return cost.params(rank);
    }

    long pairMacs(int rank) {
        return cost.macs(rank);
    }

    long pairCost(int rank, CostMetric metric) {
        return cost.atRank(rank, metric.unit());
    }
}
