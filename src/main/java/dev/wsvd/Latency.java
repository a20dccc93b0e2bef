package dev.wsvd;

import java.util.Arrays;

/**
 * How long one inference pass of a model took, over repeated timed passes after warm-up: the median (the typical
 * pass) and the 95th percentile (the slow tail a server sees), in milliseconds.
 *
 * <p>The median of {@code n} sorted times is the middle one ({@code n} odd) or the mean of the two middle ones
 * ({@code n} even); the 95th percentile is the nearest-rank one, the {@code ceil(0.95 n)}-th smallest time, so it is
 * always a time that was measured.
 *
 * @param medianMillis the median pass time
 * @param p95Millis    the 95th-percentile pass time, at least the median
 * @param runs         timed passes (warm-up passes not counted), at least 1
 */
public record Latency(double medianMillis, double p95Millis, int runs) {
    /** Checks the times are finite, non-negative and ordered, and that there was a run. */
    public Latency {
        if (runs < 1) {
            throw new IllegalArgumentException("a latency needs at least one timed run, got " + runs);
        }
        if (!(medianMillis >= 0) || !(p95Millis >= medianMillis) || Double.isInfinite(p95Millis)) {
            throw new IllegalArgumentException("latency times must be finite with 0 <= median <= p95, got median " + medianMillis
                    + " ms and p95 " + p95Millis + " ms");
        }
    }

    /** The statistics of the pass times {@code nanos} (in nanoseconds, any order). */
    public static Latency of(long... nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("a latency needs at least one timed run");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        if (sorted[0] < 0) {
            throw new IllegalArgumentException("a run cannot take negative time: " + sorted[0] + " ns");
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
        long p95 = sorted[(int) Math.ceil(0.95 * n) - 1];
        return new Latency(median / 1e6, p95 / 1e6, n);
    }
}
