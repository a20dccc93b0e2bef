package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reference step 6 ({@code _find_layer_comp_ratio_given_eval_score}): the ratio one layer gets for a score
 * threshold t, i.e. the most compression whose score still reaches t, walking from least compression down.
 *
 * <p>With the layer's ratios sorted decreasing r₀ &gt; r₁ &gt; … &gt; rₖ and s(r) their scores:
 * <ul>
 *   <li>t &gt; s(r₀): no compression ({@link Optional#empty()});</li>
 *   <li>t &lt; s(rₖ): rₖ, the most compression evaluated, even if some ratio in between scores below t;</li>
 *   <li>otherwise r_{i−1} for the first i ≥ 1 with s(rᵢ) &lt; t;</li>
 *   <li>and if there is no such i, no compression. That happens only when t equals s(rₖ) exactly and no
 *       score after r₀ is below it; the reference behaves so (it starts from "no compression") and the
 *       search can land there, since its first low end is the smallest score.</li>
 * </ul>
 * All comparisons are strict, as in the reference.
 */
final class LayerChoice {

    private LayerChoice() {
    }

    /**
     * @param scores one layer's (ratio, score) points, any order, at least one
     * @param threshold the score threshold t
     * @return the chosen ratio, or empty for "leave this layer as it is"
     */
    public static Optional<BigDecimal> forThreshold(List<RatioScore> scores, double threshold) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("a layer needs at least one evaluated ratio");
        }
        List<RatioScore> decreasing = new ArrayList<>(scores);
        decreasing.sort(Comparator.comparing(RatioScore::ratio).reversed());
        int chosen = indexForThreshold(decreasing, threshold);
        return chosen < 0 ? Optional.empty() : Optional.of(decreasing.get(chosen).ratio());
    }

    /**
     * As {@link #forThreshold}, for points already sorted by decreasing ratio: the index of the chosen point,
     * or −1 for no compression.
     */
    static int indexForThreshold(List<RatioScore> decreasing, double threshold) {
        if (threshold > decreasing.getFirst().score()) {
            return -1;
        }
        int last = decreasing.size() - 1;
        if (threshold < decreasing.get(last).score()) {
            return last;
        }
        for (int i = 1; i <= last; i++) {
            if (threshold > decreasing.get(i).score()) {
                return i - 1;
            }
        }
        return -1;
    }
}
