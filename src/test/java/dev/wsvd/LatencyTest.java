package dev.wsvd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsvd.CompressionStats.LatencyStats;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.report.ReportWriter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Latency: the statistics of pass times (checked against hand-computed order statistics), the stopping rule, and the
 * plumbing from the builder to the statistics and the three reports. No assertion on how fast anything runs.
 */
class LatencyTest {

    @Test
    void medianAndNearestRankP95OfKnownSamples() {
        // odd count: the middle one; p95 of 5 is the ceil(4.75) = 5th smallest
        Latency odd = Latency.of(5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000);
        assertEquals(3.0, odd.medianMillis(), 0);
        assertEquals(5.0, odd.p95Millis(), 0);
        assertEquals(5, odd.runs());
        // even count: the mean of the two middle ones; p95 of 20 is the 19th smallest
        long[] twenty = new long[20];
        for (int i = 0; i < 20; i++) {
            twenty[i] = (20 - i) * 1_000_000L; // 20 ms down to 1 ms, unsorted on purpose
        }
        Latency even = Latency.of(twenty);
        assertEquals(10.5, even.medianMillis(), 1e-12);
        assertEquals(19.0, even.p95Millis(), 0);
        // one slow outlier moves p95 but not the median
        long[] withOutlier = twenty.clone();
        withOutlier[0] = 900_000_000L;
        assertEquals(10.5, Latency.of(withOutlier).medianMillis(), 1e-12);
        assertEquals(19.0, Latency.of(withOutlier).p95Millis(), 0, "the 20th smallest is the outlier; p95 is the 19th");
        assertEquals(7.0, Latency.of(7_000_000).p95Millis(), 0);
        assertThrows(IllegalArgumentException.class, Latency::of);
        assertThrows(IllegalArgumentException.class, () -> Latency.of(-1));
        assertThrows(IllegalArgumentException.class, () -> new Latency(2, 1, 3), "p95 below the median");
    }

    @Test
    void passesStopAfterEnoughRunsAndTimeButNeverLater() {
        long ms = 1_000_000;
        assertFalse(LatencyMeter.enough(LatencyMeter.MIN_RUNS - 1, 60_000 * ms), "fewer than the minimum runs");
        assertFalse(LatencyMeter.enough(LatencyMeter.MIN_RUNS, (LatencyMeter.MIN_MILLIS - 1) * ms), "less than the minimum time");
        assertTrue(LatencyMeter.enough(LatencyMeter.MIN_RUNS, LatencyMeter.MIN_MILLIS * ms));
        assertTrue(LatencyMeter.enough(LatencyMeter.MAX_RUNS, 0), "the run cap stops very fast models");
        int[] passes = {0};
        Latency latency = assertDoesNotThrowLatency(() -> passes[0]++);
        assertTrue(latency.runs() >= LatencyMeter.MIN_RUNS);
        assertEquals(latency.runs() + LatencyMeter.WARM_UP_PASSES, passes[0], "warm-up passes are run but not counted");
        assertTrue(latency.p95Millis() >= latency.medianMillis());
    }

    private static Latency assertDoesNotThrowLatency(LatencyMeter.Pass pass) {
        try {
            return LatencyMeter.measure(pass);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void speedupIsTheRatioOfMedians() {
        LatencyStats stats = new LatencyStats(new Latency(6, 7, 20), new Latency(4, 5, 30), 1, "w");
        assertEquals(1.5, stats.speedup(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new LatencyStats(new Latency(6, 7, 20), new Latency(4, 5, 30), 0, "w"));
    }

    @Test
    void builderLatencyReachesTheStatisticsAndEveryReport() throws Exception {
        ModelSource model = ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(FashionMnist.testSlice()).limit(100).build();
             CompressionResult result = WeightSvdCompressor.builder().ratio(0.5).evaluator(accuracy).latency(1).build()
                     .compress(model)) {
            LatencyStats latency = result.stats().latency();
            assertEquals(1, latency.threads());
            assertTrue(latency.workload().contains("100 samples"), latency.workload());
            for (Latency one : new Latency[]{latency.original(), latency.compressed()}) {
                assertTrue(one.runs() >= LatencyMeter.MIN_RUNS && one.medianMillis() > 0 && one.p95Millis() >= one.medianMillis());
            }
            String text = ReportWriter.renderText(result.stats());
            assertTrue(text.contains("Latency") && text.contains(" median (") && text.contains("1 thread"), text);
            JsonNode json = new ObjectMapper().readTree(ReportWriter.renderJson(result.stats())).get("latency");
            assertEquals(1, json.get("threads").intValue());
            assertEquals(latency.original().medianMillis(), json.get("original").get("median_ms").doubleValue(), 0);
            assertEquals(latency.compressed().p95Millis(), json.get("compressed").get("p95_ms").doubleValue(), 0);
            assertEquals(latency.speedup(), json.get("speedup").doubleValue(), 0);
            assertTrue(ReportWriter.renderHtml(result.stats()).contains("card-latency"));
        }
    }

    @Test
    void withoutAnEvaluatorTheModelsRunOnZerosOfTheGivenShapes() throws Exception {
        ModelSource model = ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
        try (CompressionResult timed = WeightSvdCompressor.builder().ratio(0.5).latency(1).build().compress(model);
             CompressionResult untimed = WeightSvdCompressor.builder().ratio(0.5).build().compress(model)) {
            assertTrue(timed.stats().latency().workload().startsWith("one run on zeros of "), timed.stats().latency().workload());
            assertNull(untimed.stats().latency(), "not measured unless asked");
            assertFalse(ReportWriter.renderText(untimed.stats()).contains("Latency"));
        }
        assertThrows(IllegalArgumentException.class, () -> WeightSvdCompressor.builder().latency(0));
    }
}
