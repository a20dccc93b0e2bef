package dev.wsvd;

import java.util.List;
import java.util.Objects;

/**
 * One candidate layer of the model: its cost before, and what compression did to it.
 *
 * @param name         the layer's name in the model (an ONNX node name such as
 *                     {@code /encoder/layer.0/attention/self/query/MatMul})
 * @param op           the op or layer kind, such as {@code Conv}, {@code Gemm}, {@code MatMul}
 * @param weightShape  the weight's shape as stored in the model
 * @param maxRank      the rank at ratio 1.0 (the reference's {@code r_max}), at least 1
 * @param paramsBefore weight elements of the original layer, at least 1
 * @param macsBefore   multiply-accumulates of the original layer per forward pass, at least 1
 * @param outcome      split at a rank, or kept with a reason
 * @param calibration  data-aware method: the layer's calibration (whitened, or why not); null for the plain method and
 *                     for layers the run never decomposed
 */
public record LayerStats(String name, String op, List<Long> weightShape, int maxRank, long paramsBefore, long macsBefore,
                         LayerOutcome outcome, LayerCalibration calibration) {
    /** Checks every field and that a compressed rank does not exceed the max rank. */
    public LayerStats {
        Checks.requireText(name, "layer name");
        Checks.requireText(op, "op of layer " + name);
        weightShape = List.copyOf(Objects.requireNonNull(weightShape, () -> "weight shape of layer " + name));
        if (weightShape.stream().anyMatch(dim -> dim < 0)) {
            throw new IllegalArgumentException("weight shape of layer " + name + " has a negative dimension: " + weightShape);
        }
        if (maxRank < 1) {
            throw new IllegalArgumentException("max rank of layer " + name + " must be at least 1, got " + maxRank);
        }
        Checks.requirePositive(paramsBefore, "paramsBefore of layer " + name);
        Checks.requirePositive(macsBefore, "macsBefore of layer " + name);
        Objects.requireNonNull(outcome, () -> "outcome of layer " + name);
        if (outcome instanceof LayerOutcome.Compressed compressed && compressed.rank() > maxRank) {
            throw new IllegalArgumentException("layer " + name + " was compressed to rank " + compressed.rank()
                    + ", above its max rank " + maxRank);
        }
    }

    /** A row of the plain method (no calibration). */
    public LayerStats(String name, String op, List<Long> weightShape, int maxRank, long paramsBefore, long macsBefore,
                      LayerOutcome outcome) {
        this(name, op, weightShape, maxRank, paramsBefore, macsBefore, outcome, null);
    }

    /** A builder for a row; name, op, weight shape, costs and an outcome are required. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Whether the layer was split. */
    public boolean isCompressed() {
        return outcome instanceof LayerOutcome.Compressed;
    }

    /** The split, or null when the layer was kept. */
    public LayerOutcome.Compressed compressed() {
        return outcome instanceof LayerOutcome.Compressed compressed ? compressed : null;
    }

    /** Weight elements after compression: the original count when the layer was kept. */
    public long paramsAfter() {
        return outcome instanceof LayerOutcome.Compressed compressed ? compressed.paramsAfter() : paramsBefore;
    }

    /** Multiply-accumulates after compression: the original count when the layer was kept. */
    public long macsAfter() {
        return outcome instanceof LayerOutcome.Compressed compressed ? compressed.macsAfter() : macsBefore;
    }

    /** Builds a {@link LayerStats}. */
    public static final class Builder {
        private final String name;
        private String op;
        private List<Long> weightShape;
        private int maxRank;
        private long paramsBefore;
        private long macsBefore;
        private LayerOutcome outcome;
        private LayerCalibration calibration;

        private Builder(String name) {
            this.name = name;
        }

        /** The op or layer kind: {@code Conv}, {@code Gemm}, {@code MatMul}... */
        public Builder op(String op) {
            this.op = op;
            return this;
        }

        /** The weight's shape as stored in the model. */
        public Builder weightShape(long... dims) {
            this.weightShape = java.util.Arrays.stream(dims).boxed().toList();
            return this;
        }

        /** The rank at ratio 1.0. */
        public Builder maxRank(int maxRank) {
            this.maxRank = maxRank;
            return this;
        }

        /** Weight elements and multiply-accumulates of the original layer. */
        public Builder costBefore(long params, long macs) {
            this.paramsBefore = params;
            this.macsBefore = macs;
            return this;
        }

        /** The layer was split: see {@link LayerOutcome.Compressed}. */
        public Builder compressed(int rank, double ratio, double relativeError, long paramsAfter, long macsAfter) {
            this.outcome = new LayerOutcome.Compressed(rank, ratio, relativeError, paramsAfter, macsAfter);
            return this;
        }

        /** The layer was kept, with a reason and an optional detail (null for none). */
        public Builder kept(SkipReason reason, String detail) {
            this.outcome = new LayerOutcome.Kept(reason, detail);
            return this;
        }

        /** The outcome as a value. */
        public Builder outcome(LayerOutcome outcome) {
            this.outcome = outcome;
            return this;
        }

        /** Data-aware method: how the layer was calibrated. */
        public Builder calibration(LayerCalibration calibration) {
            this.calibration = calibration;
            return this;
        }

        /** The row; throws {@link IllegalArgumentException} naming the layer and the field when one is missing or invalid. */
        public LayerStats build() {
            return new LayerStats(name, op, weightShape, maxRank, paramsBefore, macsBefore, outcome, calibration);
        }
    }
}
