package dev.wsvd.layer;

import java.util.List;
import java.util.Objects;

/**
 * How well each rank reproduces a layer's weight, with what it costs: one {@link Point} per valid rank
 * (every multiple of the group count up to the maximum rank), in increasing rank. Computed from the
 * singular values alone (no factors are formed), so it is cheap for every rank. Plain data for reports and
 * plots; serializes to JSON as is (records, lists, numbers; {@code null} where MACs are not known).
 *
 * @param originalParams parameters of the original weight
 * @param originalMacs   MACs of the original layer, or null when its output size is not known
 * @param points         one entry per valid rank, increasing
 */
public record RankProfile(long originalParams, Long originalMacs, List<Point> points) {

    /**
     * One rank of the profile.
     *
     * @param rank          the rank (total over groups)
     * @param relativeError {@code ||W - W_r||_F / ||W||_F} of the best rank-{@code rank} approximation (per group),
     *                      {@code sqrt(Σ_{i≥r} s_i² / Σ s_i²)}; 0 for an all-zero weight
     * @param params        parameters of the factor pair at this rank
     * @param macs          MACs of the pair, or null when the output size is not known
     * @param paramsRatio   {@code params / originalParams}
     * @param macsRatio     {@code macs / originalMacs}, or null
     */
    public record Point(int rank, double relativeError, long params, Long macs, double paramsRatio, Double macsRatio) {
    }

    public RankProfile {
        points = List.copyOf(Objects.requireNonNull(points, "points"));
    }

    /** The point for {@code rank}. */
    public Point at(int rank) {
        for (Point point : points) {
            if (point.rank() == rank) {
                return point;
            }
        }
        throw new IllegalArgumentException("rank " + rank + " is not in this profile (ranks "
                + (points.isEmpty() ? "none" : points.getFirst().rank() + ".." + points.getLast().rank()) + ")");
    }

    /** The relative Frobenius error at {@code rank}. */
    public double relativeError(int rank) {
        return at(rank).relativeError();
    }
}
