package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A layer whose split cost is exactly ratio × original cost, with an optional rounding table
 * (unlisted ratios round to themselves). Records the ratios it was asked about.
 */
final class FakeLayer implements SelectableLayer {

    private final String name;
    private final long originalCost;
    private final Map<BigDecimal, BigDecimal> rounding;
    final List<BigDecimal> costQueries = new ArrayList<>();

    FakeLayer(String name, long originalCost) {
        this(name, originalCost, Map.of());
    }

    FakeLayer(String name, long originalCost, Map<String, String> rounding) {
        this.name = name;
        this.originalCost = originalCost;
        this.rounding = new java.util.TreeMap<>();
        rounding.forEach((from, to) -> this.rounding.put(new BigDecimal(from), new BigDecimal(to)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long originalCost() {
        return originalCost;
    }

    @Override
    public long compressedCost(BigDecimal ratio) {
        costQueries.add(ratio);
        return ratio.multiply(BigDecimal.valueOf(originalCost)).longValueExact();
    }

    @Override
    public BigDecimal roundedRatio(BigDecimal ratio) {
        return rounding.getOrDefault(ratio, ratio);
    }
}
