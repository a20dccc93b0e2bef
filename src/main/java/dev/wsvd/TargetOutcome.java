package dev.wsvd;

/**
 * Where auto mode's search for a target model ratio ended. The search is over the score threshold, and the
 * model ratio moves in steps as layers change their chosen ratio, so a target can be out of reach: then the
 * selection stops at the closest reachable point, and {@link #reached()} says so.
 *
 * @param target         the requested model ratio in the cost metric, in (0, 1]
 * @param achieved       the model ratio of the chosen per-layer ratios, in (0, 1]
 * @param tolerance      how close counts as reached (the reference uses {@value #DEFAULT_TOLERANCE})
 * @param scoreThreshold the score threshold the greedy search settled on: every compressed layer's score at its
 *                       chosen ratio is at least this; NaN for the spectrum selection, which has none
 */
public record TargetOutcome(double target, double achieved, double tolerance, double scoreThreshold) {
    /** The reference's tolerance: the search stops when the model ratio is within this of the target. */
    public static final double DEFAULT_TOLERANCE = 0.001;

    /** Slack for rounding in the caller's own |achieved - target| <= tolerance test. */
    private static final double ROUNDING_SLACK = 1e-12;

    /** Checks that target and achieved are ratios in (0, 1], the tolerance is not negative and the threshold is finite. */
    public TargetOutcome {
        Checks.requireRatio(target, "target ratio");
        Checks.requireRatio(achieved, "achieved ratio");
        Checks.requireFinite(tolerance, "tolerance");
        if (tolerance < 0) {
            throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
        }
        if (Double.isInfinite(scoreThreshold)) {
            throw new IllegalArgumentException("score threshold must be finite (or NaN for none), got " + scoreThreshold);
        }
    }

    /** An outcome with no score threshold (the spectrum selection's), with the reference's tolerance. */
    public static TargetOutcome withoutThreshold(double target, double achieved) {
        return new TargetOutcome(target, achieved, DEFAULT_TOLERANCE, Double.NaN);
    }

    /** Whether the search had a score threshold (greedy selection). */
    public boolean hasScoreThreshold() {
        return !Double.isNaN(scoreThreshold);
    }

    /** An outcome with the reference's tolerance. */
    public static TargetOutcome of(double target, double achieved, double scoreThreshold) {
        return new TargetOutcome(target, achieved, DEFAULT_TOLERANCE, scoreThreshold);
    }

    /** Whether the achieved ratio is within the tolerance of the target; otherwise it is the closest reachable. */
    public boolean reached() {
        return Math.abs(achieved - target) <= tolerance + ROUNDING_SLACK;
    }
}
