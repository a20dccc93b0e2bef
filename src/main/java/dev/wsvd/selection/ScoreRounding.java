package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reference step 5 ({@code _update_eval_dict_with_rounding}): each layer's ratio keys are replaced by the
 * ratio its rank rounding really yields ({@link SelectableLayer#roundedRatio}), and the score at that ratio
 * is read off the evaluated curve.
 *
 * <p>The reading follows the reference's {@code _calculate_function_value_by_interpolation} exactly,
 * including its shortcuts:
 * <ul>
 *   <li>a rounded ratio equal (as a decimal) to an evaluated one takes that score;</li>
 *   <li>otherwise, with the evaluated ratios sorted increasing, the first one above it is found; if that is
 *       the <em>highest</em> evaluated ratio, or none is above, the highest ratio's score is taken as is (no
 *       interpolation in the top interval);</li>
 *   <li>otherwise the score is linear between that ratio and the one below it, computed in binary floating
 *       point in the reference's order of operations.</li>
 * </ul>
 * When several keys round to the same ratio they collapse into one entry (they get the same score), kept
 * at the position and with the digits of the first, as a Python dict does.
 */
final class ScoreRounding {

    private ScoreRounding() {
    }

    /**
     * The rounded dictionary; layers keep their order.
     *
     * @param layers every layer of {@code scores}, by name
     * @throws IllegalArgumentException if a layer of {@code scores} is not in {@code layers}
     * @throws IllegalStateException    if a layer's rounding breaks its contract (result outside [ratio, 1])
     */
    public static EvalScores apply(EvalScores scores, Map<String, ? extends SelectableLayer> layers) {
        EvalScores rounded = new EvalScores();
        for (String name : scores.layers()) {
            SelectableLayer layer = layers.get(name);
            if (layer == null) {
                throw new IllegalArgumentException("eval scores have layer \"" + name + "\" but no such layer was given");
            }
            List<RatioScore> evaluated = scores.scores(name);
            List<RatioScore> increasing = new ArrayList<>(evaluated);
            increasing.sort(Comparator.comparing(RatioScore::ratio));
            for (RatioScore entry : evaluated) {
                BigDecimal ratio = roundedRatio(layer, entry.ratio());
                rounded.record(name, ratio, interpolate(ratio, increasing));
            }
        }
        return rounded;
    }

    private static BigDecimal roundedRatio(SelectableLayer layer, BigDecimal ratio) {
        BigDecimal result = Objects.requireNonNull(layer.roundedRatio(ratio),
                () -> "layer \"" + layer.name() + "\" returned no rounded ratio for " + ratio);
        if (result.compareTo(ratio) < 0 || result.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalStateException("layer \"" + layer.name() + "\": roundedRatio(" + ratio + ") = " + result
                    + ", but rank rounding only moves up, so it must lie in [" + ratio + ", 1]");
        }
        return result;
    }

    /**
     * The score at {@code ratio} read off {@code increasing} (evaluated points sorted by increasing ratio),
     * as the reference does.
     *
     * @throws IllegalArgumentException if {@code ratio} is below the smallest evaluated ratio (rounding never
     *                                  gets there; the reference would silently extrapolate from the two
     *                                  ends of the list)
     */
    static double interpolate(BigDecimal ratio, List<RatioScore> increasing) {
        if (increasing.isEmpty()) {
            throw new IllegalArgumentException("no evaluated ratios to interpolate between");
        }
        for (RatioScore point : increasing) {
            if (point.ratio().compareTo(ratio) == 0) {
                return point.score();
            }
        }
        int last = increasing.size() - 1;
        int above = last;
        for (int i = 0; i < increasing.size(); i++) {
            if (ratio.compareTo(increasing.get(i).ratio()) < 0) {
                above = i;
                break;
            }
        }
        if (above == last) {
            return increasing.get(last).score();
        }
        if (above == 0) {
            throw new IllegalArgumentException("ratio " + ratio + " is below the smallest evaluated ratio "
                    + increasing.get(0).ratio());
        }
        double x1 = increasing.get(above).ratio().doubleValue();
        double y1 = increasing.get(above).score();
        double x2 = increasing.get(above - 1).ratio().doubleValue();
        double y2 = increasing.get(above - 1).score();
        return (ratio.doubleValue() - x1) * (y1 - y2) / (x1 - x2) + y1;
    }
}
