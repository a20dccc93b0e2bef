package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayerChoiceTest {

    private static RatioScore p(String ratio, double score) {
        return new RatioScore(new BigDecimal(ratio), score);
    }

    private static Optional<String> choose(List<RatioScore> scores, double t) {
        return LayerChoice.forThreshold(scores, t).map(BigDecimal::toString);
    }

    // Given in scrambled order: the choice sorts by ratio itself.
    private static final List<RatioScore> RISING = List.of(p("0.50", 0.6), p("0.75", 0.9), p("0.25", 0.2));

    @Test
    void thresholdsAroundARisingCurve() {
        assertEquals(Optional.empty(), choose(RISING, 0.95), "above the best score: leave the layer alone");
        assertEquals(Optional.of("0.75"), choose(RISING, 0.9), "equal to the score at the highest ratio");
        assertEquals(Optional.of("0.75"), choose(RISING, 0.7), "0.50 scores 0.6 < 0.7, so the ratio before it");
        assertEquals(Optional.of("0.50"), choose(RISING, 0.6), "comparisons are strict: 0.6 is not below 0.6");
        assertEquals(Optional.of("0.50"), choose(RISING, 0.3));
        assertEquals(Optional.of("0.25"), choose(RISING, 0.1), "below the lowest score: most compression");
    }

    @Test
    void aThresholdEqualToTheLowestRatiosScoreMeansNoCompression() {
        // The reference's default when no score after the first is below t: None. Only reachable at equality.
        assertEquals(Optional.empty(), choose(RISING, 0.2));
    }

    @Test
    void belowTheLowestRatiosScoreWinsEvenIfAMiddleRatioScoresWorse() {
        List<RatioScore> dip = List.of(p("0.25", 0.5), p("0.5", 0.3), p("0.75", 0.9));
        assertEquals(Optional.of("0.25"), choose(dip, 0.4));
        assertEquals(Optional.of("0.75"), choose(dip, 0.6));
        assertEquals(Optional.of("0.75"), choose(dip, 0.5), "0.5 is below 0.5? no; 0.3 is: the ratio before 0.5");
    }

    @Test
    void aSingleRatio() {
        List<RatioScore> one = List.of(p("0.5", 0.7));
        assertEquals(Optional.empty(), choose(one, 0.8));
        assertEquals(Optional.of("0.5"), choose(one, 0.6));
        assertEquals(Optional.empty(), choose(one, 0.7));
    }

    @Test
    void noRatiosIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LayerChoice.forThreshold(List.of(), 0.5));
    }
}
