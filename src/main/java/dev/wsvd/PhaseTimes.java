package dev.wsvd;

import java.time.Duration;
import java.util.Objects;

/**
 * Wall time per phase of a run. The phases are disjoint and add up to at most {@code total}, the run's wall
 * time from start to end (the rest is set-up: reading the model, planning); a parallel candidate sweep's wall
 * time is shared between rewriting and evaluation in proportion to the workers' time in each. A phase that did
 * not happen is {@link Duration#ZERO}.
 *
 * @param svd        decomposing the layers' weights (one SVD per layer)
 * @param rewriting  building factor pairs and rewritten models (for the final model and for candidates)
 * @param evaluation running the evaluator (baseline, candidates, compressed model)
 * @param selection  choosing ratios once the scores are in: auto mode's fit, rounding and search, or manual mode's resolution
 * @param writing    serialising and writing the compressed model
 * @param total      the whole run
 */
public record PhaseTimes(Duration svd, Duration rewriting, Duration evaluation, Duration selection, Duration writing,
                         Duration total) {
    /** Checks that every time is given and not negative. */
    public PhaseTimes {
        requireNonNegative(svd, "svd");
        requireNonNegative(rewriting, "rewriting");
        requireNonNegative(evaluation, "evaluation");
        requireNonNegative(selection, "selection");
        requireNonNegative(writing, "writing");
        requireNonNegative(total, "total");
    }

    /** A builder with every phase at zero; {@code total} defaults to the sum of the phases. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireNonNegative(Duration duration, String phase) {
        Objects.requireNonNull(duration, () -> phase + " time");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(phase + " time must not be negative, got " + duration);
        }
    }

    /** Builds {@link PhaseTimes}. */
    public static final class Builder {
        private Duration svd = Duration.ZERO;
        private Duration rewriting = Duration.ZERO;
        private Duration evaluation = Duration.ZERO;
        private Duration selection = Duration.ZERO;
        private Duration writing = Duration.ZERO;
        private Duration total;

        private Builder() {
        }

        /** Time decomposing the layers' weights. */
        public Builder svd(Duration time) {
            this.svd = time;
            return this;
        }

        /** Time building factor pairs and rewritten models. */
        public Builder rewriting(Duration time) {
            this.rewriting = time;
            return this;
        }

        /** Time in the evaluator. */
        public Builder evaluation(Duration time) {
            this.evaluation = time;
            return this;
        }

        /** Time choosing ratios (auto mode's eval dictionary and search, manual mode's resolution). */
        public Builder selection(Duration time) {
            this.selection = time;
            return this;
        }

        /** Time serialising and writing the compressed model. */
        public Builder writing(Duration time) {
            this.writing = time;
            return this;
        }

        /** The run's wall time; when not set, the sum of the phases. */
        public Builder total(Duration time) {
            this.total = time;
            return this;
        }

        /** The phase times; the total is the sum of the phases unless set. */
        public PhaseTimes build() {
            Duration sum = total != null ? total
                    : Objects.requireNonNull(svd, "svd time").plus(Objects.requireNonNull(rewriting, "rewriting time"))
                    .plus(Objects.requireNonNull(evaluation, "evaluation time")).plus(Objects.requireNonNull(selection, "selection time"))
                    .plus(Objects.requireNonNull(writing, "writing time"));
            return new PhaseTimes(svd, rewriting, evaluation, selection, writing, sum);
        }
    }
}
