package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reference step 7: the model's cost ratio for a threshold, with every layer's candidate costs computed
 * once up front (the search asks for the same ones many times, and a layer's cost may be a rank search).
 */
final class CostTable {

    /** One candidate layer: its rounded points by decreasing ratio and the split cost at each. */
    record Entry(SelectableLayer layer, List<RatioScore> decreasing, long[] compressedCosts) {
    }

    private final List<Entry> entries;
    private final long fixedCost;
    private final long originalTotal;

    /**
     * @param candidates the candidate layers in forward order
     * @param rounded    their rounded scores
     * @param fixedCost  cost of every layer that is not a candidate (never compressed)
     */
    CostTable(List<? extends SelectableLayer> candidates, EvalScores rounded, long fixedCost) {
        if (fixedCost < 0) {
            throw new IllegalArgumentException("cost of the layers outside selection must be >= 0, got " + fixedCost);
        }
        List<Entry> list = new ArrayList<>();
        long total = fixedCost;
        for (SelectableLayer layer : candidates) {
            long original = layer.originalCost();
            if (original < 0) {
                throw new IllegalArgumentException("layer \"" + layer.name() + "\" has negative cost " + original);
            }
            total = Math.addExact(total, original);
            List<RatioScore> decreasing = new ArrayList<>(rounded.scores(layer.name()));
            decreasing.sort(Comparator.comparing(RatioScore::ratio).reversed());
            long[] costs = new long[decreasing.size()];
            for (int i = 0; i < costs.length; i++) {
                BigDecimal ratio = decreasing.get(i).ratio();
                costs[i] = layer.compressedCost(ratio);
                if (costs[i] < 0) {
                    throw new IllegalStateException("layer \"" + layer.name() + "\": compressedCost(" + ratio + ") = " + costs[i]);
                }
            }
            list.add(new Entry(layer, List.copyOf(decreasing), costs));
        }
        if (total <= 0) {
            throw new IllegalArgumentException("the model's total original cost must be positive, got " + total);
        }
        this.entries = List.copyOf(list);
        this.fixedCost = fixedCost;
        this.originalTotal = total;
    }

    List<Entry> entries() {
        return entries;
    }

    long originalTotal() {
        return originalTotal;
    }

    /** Chosen point index per entry (−1 = unsplit) for threshold t. */
    int[] choices(double threshold) {
        int[] chosen = new int[entries.size()];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = LayerChoice.indexForThreshold(entries.get(i).decreasing(), threshold);
        }
        return chosen;
    }

    /** Compressed model cost for these choices: chosen split costs plus everything left as it is. */
    long compressedCost(int[] chosen) {
        long cost = fixedCost;
        for (int i = 0; i < chosen.length; i++) {
            Entry e = entries.get(i);
            cost = Math.addExact(cost, chosen[i] < 0 ? e.layer().originalCost() : e.compressedCosts()[chosen[i]]);
        }
        return cost;
    }

    /** Model cost ratio (compressed / original) for threshold t, as Python's int / int. */
    double modelRatio(double threshold) {
        return PyFloat.trueDivide(compressedCost(choices(threshold)), originalTotal);
    }
}
