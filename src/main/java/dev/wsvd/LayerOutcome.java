package dev.wsvd;

import java.util.Objects;

/** What happened to one candidate layer: split at a rank, or kept as it was (and why). */
public sealed interface LayerOutcome {

    /**
     * The layer was split into two layers at {@code rank}.
     *
     * @param rank          the rank kept, at least 1 (at most the layer's max rank, checked by {@link LayerStats})
     * @param ratio         the chosen ratio in the selection's cost metric, after rank rounding, in (0, 1]
     * @param relativeError {@code ||W - W_r||_F / ||W||_F} of the truncation, in [0, 1]
     * @param paramsAfter   weight elements of the two new layers together
     * @param macsAfter     multiply-accumulates of the two new layers together
     */
    record Compressed(int rank, double ratio, double relativeError, long paramsAfter, long macsAfter) implements LayerOutcome {
        /** Slack above 1 for an error computed from a spectrum's partial sums. */
        private static final double ERROR_SLACK = 1e-6;

        /** Checks rank, ratio, error and costs. */
        public Compressed {
            if (rank < 1) {
                throw new IllegalArgumentException("rank must be at least 1, got " + rank);
            }
            Checks.requireRatio(ratio, "ratio");
            if (!(relativeError >= 0 && relativeError <= 1 + ERROR_SLACK)) {
                throw new IllegalArgumentException("relative error must be in [0, 1], got " + relativeError);
            }
            Checks.requirePositive(paramsAfter, "paramsAfter");
            Checks.requirePositive(macsAfter, "macsAfter");
        }
    }

    /**
     * The layer was left unchanged.
     *
     * @param reason why
     * @param detail more specific text (such as {@code groups = 32} or the pattern that matched), or null
     */
    record Kept(SkipReason reason, String detail) implements LayerOutcome {
        /** Requires a reason; a blank detail becomes null. */
        public Kept {
            Objects.requireNonNull(reason, "reason");
            if (detail != null && detail.isBlank()) {
                detail = null;
            }
        }

        /** Kept for a reason that needs no detail. */
        public static Kept because(SkipReason reason) {
            return new Kept(reason, null);
        }

        /** The reason's label, with the detail after a colon when there is one: {@code ignored: conv1}. */
        public String describe() {
            return detail == null ? reason.label() : reason.label() + ": " + detail;
        }
    }
}
