package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreRoundingTest {

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static EvalScores tenths(String layer, double... scores) {
        EvalScores s = new EvalScores();
        List<BigDecimal> ratios = CandidateRatios.of(10);
        for (int i = 0; i < ratios.size(); i++) {
            s.record(layer, ratios.get(i), scores[i]);
        }
        return s;
    }

    @Test
    void roundedKeysTakeInterpolatedScoresAsTheReferenceReadsThem() {
        EvalScores raw = tenths("conv", 0.10, 0.30, 0.40, 0.80, 0.82, 0.84, 0.86, 0.88, 0.95);
        // The TreeMap in FakeLayer keys by value, so "0.1" -> "0.20" is found for the key 0.1.
        FakeLayer conv = new FakeLayer("conv", 1000, Map.of(
                "0.1", "0.20",   // lands on an evaluated ratio (written differently)
                "0.3", "0.35",   // between 0.3 and 0.4
                "0.8", "0.85",   // between 0.8 and 0.9, the top interval
                "0.9", "1"));    // beyond the highest evaluated ratio
        EvalScores rounded = ScoreRounding.apply(raw, Map.of("conv", conv));

        List<RatioScore> entries = rounded.scores("conv");
        // 0.1 and 0.2 both become 0.2: one entry, where 0.1 was, with the first key's digits.
        assertEquals(List.of("0.20", "0.35", "0.4", "0.5", "0.6", "0.7", "0.85", "1"),
                entries.stream().map(e -> e.ratio().toString()).toList());
        assertEquals(0.30, entries.get(0).score(), 0.0);
        // By hand: 0.8 + (0.35 − 0.4)·(0.8 − 0.4)/(0.4 − 0.3) = 0.8 − 0.2 = 0.6.
        assertEquals(0.6, entries.get(1).score(), 1e-12);
        assertEquals(0.80, entries.get(2).score(), 0.0);
        assertEquals(0.82, entries.get(3).score(), 0.0);
        // The reference does not interpolate in the top interval: 0.85 gets the score at 0.9, not 0.915.
        assertEquals(0.95, entries.get(6).score(), 0.0);
        // Nor beyond it.
        assertEquals(0.95, entries.get(7).score(), 0.0);
    }

    @Test
    void identityRoundingLeavesTheDictionaryAsItIs() {
        EvalScores raw = tenths("a", 0.1, 0.2, 0.15, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);
        raw.record("b", d("0.5"), 0.3);
        EvalScores rounded = ScoreRounding.apply(raw, Map.of("a", new FakeLayer("a", 10), "b", new FakeLayer("b", 10)));
        assertEquals(raw, rounded);
    }

    @Test
    void interpolationBetweenNeighboursAfterSorting() {
        // Recorded out of order; the reading sorts by ratio first.
        List<RatioScore> increasing = List.of(new RatioScore(d("0.25"), 0.2), new RatioScore(d("0.50"), 0.6),
                new RatioScore(d("0.75"), 0.9));
        // 0.6 + (0.3 − 0.5)·(0.6 − 0.2)/(0.5 − 0.25) = 0.6 − 0.32 = 0.28.
        assertEquals(0.28, ScoreRounding.interpolate(d("0.30"), increasing), 1e-12);
        assertEquals(0.6, ScoreRounding.interpolate(d("0.5"), increasing), 0.0);
        assertEquals(0.9, ScoreRounding.interpolate(d("0.7"), increasing), 0.0);
        assertThrows(IllegalArgumentException.class, () -> ScoreRounding.interpolate(d("0.2"), increasing));
        // A single evaluated ratio: anything above it reads its score.
        assertEquals(0.7, ScoreRounding.interpolate(d("0.6"), List.of(new RatioScore(d("0.5"), 0.7))), 0.0);
    }

    @Test
    void aRoundingThatMovesDownOrPastOneIsAContractViolation() {
        EvalScores raw = tenths("a", 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);
        IllegalStateException down = assertThrows(IllegalStateException.class, () -> ScoreRounding.apply(raw,
                Map.of("a", new FakeLayer("a", 10, Map.of("0.3", "0.25")))));
        assertTrue(down.getMessage().contains("\"a\"") && down.getMessage().contains("0.25"), down.getMessage());
        assertThrows(IllegalStateException.class, () -> ScoreRounding.apply(raw,
                Map.of("a", new FakeLayer("a", 10, Map.of("0.9", "1.1")))));
    }

    @Test
    void scoresForAnUnknownLayerAreRejected() {
        EvalScores raw = new EvalScores();
        raw.record("ghost", d("0.5"), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoreRounding.apply(raw, Map.of()));
        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
    }
}
