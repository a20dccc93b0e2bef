package dev.wsvd.layer;

import dev.wsvd.tensor.Tensor;

import java.util.Objects;

/**
 * What an error-feedback refit of one Linear layer ({@link ErrorFeedback}) learns from the calibration rows: the
 * layer's input in the original model {@code x_o} and in the partly compressed one {@code x_c}, row for row (the same
 * token of the same sample), and optionally the drift {@code d = r_o − r_c} of the residual its output is added to.
 * All statistics are centred, averaged over the rows, F64:
 *
 * @param rows           how many rows were averaged
 * @param covariance     {@code G_c = E[(x_c − μ_c)(x_c − μ_c)ᵀ]}, {@code in x in}, both triangles
 * @param cross          {@code C = E[(x_o − μ_o)(x_c − μ_c)ᵀ]}, {@code in x in}
 * @param drift          {@code D = E[(d − μ_d)(x_c − μ_c)ᵀ]}, {@code out x in}; null when there is no residual
 * @param compressedMean {@code μ_c}, {@code in}
 * @param originalMean   {@code μ_o}, {@code in}
 * @param driftMean      {@code μ_d}, {@code out}; null when there is no residual
 */
public record FeedbackMoments(long rows, Tensor covariance, Tensor cross, Tensor drift, double[] compressedMean,
                              double[] originalMean, double[] driftMean) implements AutoCloseable {
    public FeedbackMoments {
        Objects.requireNonNull(covariance, "covariance");
        Objects.requireNonNull(cross, "cross");
        Objects.requireNonNull(compressedMean, "compressedMean");
        Objects.requireNonNull(originalMean, "originalMean");
        if ((drift == null) != (driftMean == null)) {
            throw new IllegalArgumentException("the residual drift needs both its cross moment and its mean, or neither");
        }
        if (rows < 1) {
            throw new IllegalArgumentException("moments need at least one row, got " + rows);
        }
        int in = compressedMean.length;
        if (originalMean.length != in || covariance.rows() != in || covariance.columns() != in || cross.rows() != in
                || cross.columns() != in) {
            throw new IllegalArgumentException("the input moments disagree on the input size: covariance " + covariance.shape()
                    + ", cross " + cross.shape() + ", means " + in + " and " + originalMean.length);
        }
        if (drift != null && (drift.columns() != in || drift.rows() != driftMean.length)) {
            throw new IllegalArgumentException("the residual drift " + drift.shape() + " does not match the input size " + in
                    + " and its mean of " + driftMean.length);
        }
    }

    /** Whether the layer's output is added to a residual whose drift is part of the target. */
    public boolean hasResidual() {
        return drift != null;
    }

    /** Frees the matrices. */
    @Override
    public void close() {
        covariance.close();
        cross.close();
        if (drift != null) {
            drift.close();
        }
    }
}
