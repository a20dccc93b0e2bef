package dev.wsvd;

import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.RatioScore;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Auto mode with rank rounding ({@code multiplicity > 1}): moves the selected ranks along the rounded grid until the
 * model ratio is within the tolerance of the target, or no move brings it closer.
 *
 * <p>Why: the reference's greedy search chooses among the candidate ratios only, and rounding each chosen rank up to
 * a multiple of the multiplicity moves the model ratio in coarse steps the threshold search cannot undo: the
 * Fashion-MNIST CNN at target 0.5 with multiplicity 8 lands at 0.40. Here, after the reference's selection, the ranks
 * of the layers it split are raised (when the model is below the target) or lowered (above it) one grid step at a
 * time; each step is the one with the best score change per unit of cost, the score of a rank read off the layer's
 * evaluated curve (linear in the ratio between evaluated points, constant beyond the ends). A step is taken only if
 * it brings the model ratio closer to the target, so the fill ends within the tolerance or at the closest point the
 * grid reaches, which the report then says. Ranks stay multiples of the multiplicity (or the layer's maximum) and below
 * the break-even rank.
 *
 * <p>When the model is above the target, layers the selection left whole although they were evaluated ({@code
 * splittable}) may be split too, entering at their largest grid rank that saves cost. Without that, a selection that
 * kept the one layer holding most of the cost cannot be moved toward the target at all: on the CNN at target 0.3 with
 * multiplicity 8 the reference's threshold search lands exactly on conv2's lowest rounded score, which by the
 * reference's rule keeps conv2 whole, and the model stayed at 0.77.
 */
final class GridFill {
    private GridFill() {
    }

    /** The filled ranks and the model ratio they give. */
    record Result(Map<String, Integer> ranks, double modelRatio, int steps) {
    }

    /**
     * @param plan         the run's layers (costs of all, candidates and not)
     * @param ranks        the ranks the selection chose, by layer
     * @param splittable   layers the selection kept whole that may be split when the model is above the target
     * @param scores       the evaluated (unrounded) candidate scores, by layer and ratio
     * @param multiplicity the grid step
     * @param target       the model ratio to reach
     * @param tolerance    how close counts as reached
     */
    static Result fill(LayerInventory.Plan plan, Map<String, Integer> ranks, Set<String> splittable, EvalScores scores,
                       CostMetric metric, int multiplicity, double target, double tolerance) {
        Map<String, Integer> current = new LinkedHashMap<>(ranks);
        long original = 0;
        long compressed = 0;
        for (PlannedLayer layer : plan.layers()) {
            original += layer.original(metric);
            Integer rank = current.get(layer.name());
            compressed += rank == null ? layer.original(metric) : layer.pairCost(rank, metric);
        }
        int steps = 0;
        while (Math.abs((double) compressed / original - target) > tolerance) {
            boolean up = (double) compressed / original < target;
            Move best = null;
            for (PlannedLayer layer : plan.layers()) {
                Integer split = current.get(layer.name());
                if (split == null && (up || !splittable.contains(layer.name()))) {
                    continue;
                }
                // a whole layer enters at the top of its grid: the cost and score it has unsplit
                int rank = split != null ? split : layer.cost().maxRank();
                long cost = split != null ? layer.pairCost(rank, metric) : layer.original(metric);
                int next = up ? nextUp(layer, rank, multiplicity, metric)
                        : split != null ? nextDown(layer, rank, multiplicity) : firstSaving(layer, multiplicity, metric);
                if (next == rank) {
                    continue;
                }
                long delta = layer.pairCost(next, metric) - cost;
                double newRatio = (double) (compressed + delta) / original;
                if (Math.abs(newRatio - target) >= Math.abs((double) compressed / original - target)) {
                    continue; // overshoots further than it is now
                }
                // unsplit, rank is the maximum: the curve's end, as beyond its ends it is constant
                double scoreChange = score(layer, next, scores, metric) - score(layer, rank, scores, metric);
                // up: the most score gained per cost added; down: the least score lost per cost saved
                double value = scoreChange / Math.abs(delta);
                Move move = new Move(layer.name(), next, delta, value);
                if (best == null || move.value() > best.value()) {
                    best = move;
                }
            }
            if (best == null) {
                break;
            }
            current.put(best.layer(), best.rank());
            compressed += best.delta();
            steps++;
        }
        return new Result(current, (double) compressed / original, steps);
    }

    private record Move(String layer, int rank, long delta, double value) {
    }

    /** The next grid rank above {@code rank} that still saves cost, or {@code rank}. */
    private static int nextUp(PlannedLayer layer, int rank, int multiplicity, CostMetric metric) {
        int step = Math.max(multiplicity, layer.cost().rankStep());
        int next = Math.min(layer.cost().maxRank(), (rank / step + 1) * step);
        return next > rank && layer.pairCost(next, metric) < layer.original(metric) ? next : rank;
    }

    /** The largest grid rank at which the layer costs less split than whole, or its maximum rank if none. */
    private static int firstSaving(PlannedLayer layer, int multiplicity, CostMetric metric) {
        int step = Math.max(multiplicity, layer.cost().rankStep());
        for (int rank = layer.cost().maxRank() / step * step; rank >= step; rank -= step) {
            if (layer.pairCost(rank, metric) < layer.original(metric)) {
                return rank;
            }
        }
        return layer.cost().maxRank();
    }

    /** The next grid rank below {@code rank}, at least one grid step, or {@code rank}. */
    private static int nextDown(PlannedLayer layer, int rank, int multiplicity) {
        int step = Math.max(multiplicity, layer.cost().rankStep());
        int next = rank % step == 0 ? rank - step : rank / step * step;
        return next >= step ? next : rank;
    }

    /** The layer's score at {@code rank}, read off its evaluated curve by the rank's ratio. */
    private static double score(PlannedLayer layer, int rank, EvalScores scores, CostMetric metric) {
        double ratio = (double) layer.pairCost(rank, metric) / layer.original(metric);
        List<RatioScore> curve = scores.scores(layer.name()).stream().sorted(Comparator.comparing(RatioScore::ratio)).toList();
        if (curve.isEmpty()) {
            return 0;
        }
        RatioScore previous = null;
        for (RatioScore point : curve) {
            double x = point.ratio().doubleValue();
            if (ratio <= x) {
                if (previous == null) {
                    return point.score();
                }
                double x0 = previous.ratio().doubleValue();
                return previous.score() + (point.score() - previous.score()) * (ratio - x0) / (x - x0);
            }
            previous = point;
        }
        return curve.getLast().score();
    }
}
