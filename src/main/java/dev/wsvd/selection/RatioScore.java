package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One evaluated point of a layer: the model's score with that layer alone split at {@code ratio}.
 *
 * @param ratio compression ratio, in (0, 1]
 * @param score evaluation score, higher is better; finite
 */
public record RatioScore(BigDecimal ratio, double score) {

    public RatioScore {
        Objects.requireNonNull(ratio, "ratio");
        if (ratio.signum() <= 0 || ratio.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("compression ratio must be in (0, 1], got " + ratio);
        }
        if (!Double.isFinite(score)) {
            // A NaN or infinity would make the min/max and every threshold comparison meaningless.
            throw new IllegalArgumentException("score must be finite, got " + score + " at ratio " + ratio);
        }
    }
}
