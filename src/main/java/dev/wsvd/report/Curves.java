package dev.wsvd.report;

import java.util.Map;
import java.util.SortedMap;

/** Reading a score curve (ratio to score) between its points. */
final class Curves {
    private Curves() {
    }

    /**
     * The score at {@code ratio}, linearly interpolated between the nearest points, as the reference's rounding
     * pass does; outside the points, the nearest end point's score.
     */
    static double interpolate(SortedMap<Double, Double> curve, double ratio) {
        Double exact = curve.get(ratio);
        if (exact != null) {
            return exact;
        }
        SortedMap<Double, Double> below = curve.headMap(ratio);
        SortedMap<Double, Double> above = curve.tailMap(ratio);
        if (below.isEmpty()) {
            return curve.get(curve.firstKey());
        }
        if (above.isEmpty()) {
            return curve.get(curve.lastKey());
        }
        double x0 = below.lastKey();
        double x1 = above.firstKey();
        double y0 = below.get(x0);
        double y1 = above.get(x1);
        return y0 + (y1 - y0) * (ratio - x0) / (x1 - x0);
    }

    static double[] keys(SortedMap<Double, Double> curve) {
        return curve.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] values(SortedMap<Double, Double> curve) {
        return curve.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double min(Map<Double, Double> curve) {
        return curve.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(Map<Double, Double> curve) {
        return curve.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
