package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A two-layer toy worked by hand. Candidates N = 4: 0.25, 0.50, 0.75. Split cost = ratio × original cost.
 * <pre>
 *   layer  original  score at 0.25  0.50  0.75
 *   A      100       0.2            0.6   0.9
 *   B      200       0.5            0.8   0.85
 *   other  100       (never compressed)          total 400
 * </pre>
 * Model ratio by threshold t (choices from {@link LayerChoice}; A | B | ratio):
 * <pre>
 *   t &lt; 0.2            A 0.25  B 0.25                       (25 + 50 + 100) / 400  = 0.4375
 *   t = 0.2 (exactly)   A none (t equals its lowest score)  B 0.25   (100 + 50 + 100) / 400 = 0.625
 *   0.2 &lt; t &lt; 0.5      A 0.50  B 0.25                       (50 + 50 + 100) / 400  = 0.5
 *   0.5 &lt; t ≤ 0.6      A 0.50  B 0.50                       (50 + 100 + 100) / 400 = 0.625
 *   0.6 &lt; t ≤ 0.8      A 0.75  B 0.50                       (75 + 100 + 100) / 400 = 0.6875
 *   0.8 &lt; t ≤ 0.85     A 0.75  B 0.75                       (75 + 150 + 100) / 400 = 0.8125
 *   0.85 &lt; t ≤ 0.9     A 0.75  B none                       (75 + 200 + 100) / 400 = 0.9375
 * </pre>
 * The search starts with low = 0.2, high = 0.9 and stops when high − low ≤ 0.7·1e-4 = 7e-5.
 */
class GreedySelectorTest {

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static final long OTHER = 100;

    private static List<FakeLayer> layers() {
        return List.of(new FakeLayer("A", 100), new FakeLayer("B", 200));
    }

    private static EvalScores scores() {
        EvalScores s = new EvalScores();
        List<BigDecimal> r = CandidateRatios.of(4);
        double[] a = {0.2, 0.6, 0.9};
        double[] b = {0.5, 0.8, 0.85};
        for (int i = 0; i < 3; i++) {
            s.record("A", r.get(i), a[i]);
        }
        for (int i = 0; i < 3; i++) {
            s.record("B", r.get(i), b[i]);
        }
        return s;
    }

    private static GreedySelection select(double target) {
        return new GreedySelector(GreedyParameters.target(target).withCandidates(4)).select(layers(), OTHER, scores());
    }

    private static Optional<String> ratio(GreedySelection s, String layer) {
        return s.ratioOf(layer).map(BigDecimal::toString);
    }

    @Test
    void aTargetHitAtTheFirstMidpoint() {
        // mid = (0.9 + 0.2) / 2 = 0.55: A 0.50, B 0.50, ratio 0.625 = target.
        GreedySelection s = select(0.625);
        assertEquals(SearchOutcome.TARGET_MET, s.outcome());
        assertTrue(s.targetMet());
        assertEquals(0.55, s.threshold());
        assertEquals(0.625, s.modelRatio());
        assertEquals(List.of(new LayerRatio("A", Optional.of(d("0.50"))), new LayerRatio("B", Optional.of(d("0.50")))), s.layers());
        assertEquals(400, s.originalCost());
        assertEquals(250, s.compressedCost());
        assertEquals(1, s.steps().size());
        assertEquals(new SearchStep(0.2, 0.9, 0.55, 0.625), s.steps().get(0));
    }

    @Test
    void withinTheToleranceCountsAsMet() {
        // 0.625 is within 0.001 of 0.6245 and 0.6259, not of 0.6235.
        assertEquals(SearchOutcome.TARGET_MET, select(0.6245).outcome());
        assertEquals(SearchOutcome.TARGET_MET, select(0.6259).outcome());
        assertEquals(SearchOutcome.WINDOW_CLOSED, select(0.6235).outcome());
        // In binary 0.626 − 0.625 is a hair above 0.001, so, as math.isclose says in Python, not within.
        assertEquals(SearchOutcome.WINDOW_CLOSED, select(0.626).outcome());
    }

    @Test
    void anUnreachableTargetClosesTheWindowOnTheCompressedSide() {
        // Target 0.6 lies between 0.5 (t < 0.5) and 0.625 (t > 0.5): the window closes around t = 0.5 and the
        // search picks its low end, below 0.5: the more compressed neighbour, 0.5, though 0.625 is closer.
        GreedySelection s = select(0.6);
        assertEquals(SearchOutcome.WINDOW_CLOSED, s.outcome());
        assertFalse(s.targetMet());
        assertTrue(s.threshold() < 0.5 && s.threshold() > 0.5 - 7e-5, "threshold " + s.threshold());
        assertEquals(0.5, s.modelRatio());
        assertEquals(Optional.of("0.50"), ratio(s, "A"));
        assertEquals(Optional.of("0.25"), ratio(s, "B"));
        assertEquals(200, s.compressedCost());
        // Window 0.7 halves each step; it is first ≤ 7e-5 at 0.7 / 2^14, the 15th step.
        assertEquals(15, s.steps().size());
        assertEquals(new SearchStep(0.2, 0.9, 0.55, 0.625), s.steps().get(0));
        assertEquals(new SearchStep(0.2, 0.55, 0.375, 0.5), s.steps().get(1));
        assertEquals(new SearchStep(0.375, 0.55, 0.4625, 0.5), s.steps().get(2));
        assertEquals(0.50625, s.steps().get(3).threshold(), 1e-15);
        assertEquals(0.625, s.steps().get(3).modelRatio());
        SearchStep last = s.steps().getLast();
        assertEquals(s.threshold(), last.low());
        assertTrue(last.high() - last.low() <= 7e-5);
    }

    @Test
    void targetOneStillCompressesBecauseNoThresholdAboveTheBestScoreIsTried() {
        // Every midpoint gives a ratio ≤ 0.9375 < 1, so low climbs towards 0.9 and the result is A 0.75, B none.
        GreedySelection s = select(1.0);
        assertEquals(SearchOutcome.WINDOW_CLOSED, s.outcome());
        assertEquals(0.9375, s.modelRatio());
        assertEquals(Optional.of("0.75"), ratio(s, "A"));
        assertEquals(Optional.empty(), ratio(s, "B"));
        assertFalse(s.layers().get(1).compressed());
    }

    @Test
    void aTargetBelowReachLeavesTheLayerWithTheLowestScoreUncompressed() {
        // Every midpoint gives a ratio above 0.1, so high falls and low stays at the smallest score, 0.2, which
        // is chosen: at exactly t = 0.2, A gets no compression (see LayerChoice) while B gets 0.25. Reference
        // behaviour, however odd: the ratio ends at 0.625 though 0.5 was reached on the way.
        GreedySelection s = select(0.1);
        assertEquals(SearchOutcome.WINDOW_CLOSED, s.outcome());
        assertEquals(0.2, s.threshold());
        assertEquals(Optional.empty(), ratio(s, "A"));
        assertEquals(Optional.of("0.25"), ratio(s, "B"));
        assertEquals(0.625, s.modelRatio());
        // The last midpoint, just above 0.2, had A 0.50 (0.25 needs t below 0.2) and B 0.25: (50 + 50 + 100) / 400.
        assertEquals(0.5, s.steps().getLast().modelRatio());
        assertTrue(s.steps().stream().allMatch(step -> step.low() == 0.2));
    }

    @Test
    void ignoredLayersCountAsFixedCost() {
        // B ignored: only A is searched (scores 0.2..0.9, mid 0.55 → A 0.50), B stays at 200:
        // (50 + 200 + 100) / 400 = 0.875.
        GreedySelection s = new GreedySelector(GreedyParameters.target(0.875).withCandidates(4).withLayersToIgnore("B"))
                .select(layers(), OTHER, scores());
        assertEquals(SearchOutcome.TARGET_MET, s.outcome());
        assertEquals(List.of(new LayerRatio("A", Optional.of(d("0.50")))), s.layers());
        assertEquals(List.of("B"), s.ignoredLayers());
        assertEquals(400, s.originalCost());
        assertEquals(350, s.compressedCost());
        assertEquals(List.of("A"), s.scores().layers());
    }

    @Test
    void roundedRatiosAreWhatIsSearchedCostedAndReturned() {
        // C rounds 0.25 → 0.30 and 0.75 → 0.80. Its rounded scores: 0.30 → 0.28 (between 0.25 and 0.50:
        // 0.6 + (0.3 − 0.5)·0.4/0.25), 0.50 → 0.6, 0.80 → 0.9 (above the highest evaluated ratio).
        // With only C (original 100) and other 100: mid = (0.28 + 0.9)/2 = 0.59 → C 0.50 → 150/200 = 0.75.
        FakeLayer c = new FakeLayer("C", 100, Map.of("0.25", "0.30", "0.75", "0.80"));
        EvalScores raw = new EvalScores();
        List<BigDecimal> r = CandidateRatios.of(4);
        raw.record("C", r.get(0), 0.2);
        raw.record("C", r.get(1), 0.6);
        raw.record("C", r.get(2), 0.9);
        GreedySelection s = new GreedySelector(GreedyParameters.target(0.75).withCandidates(4)).select(List.of(c), 100, raw);
        assertEquals(SearchOutcome.TARGET_MET, s.outcome());
        assertEquals(0.59, s.threshold(), 1e-15);
        assertEquals(Optional.of("0.50"), ratio(s, "C"));
        List<RatioScore> used = s.scores().scores("C");
        assertEquals(List.of("0.30", "0.50", "0.80"), used.stream().map(e -> e.ratio().toString()).toList());
        assertEquals(0.28, used.get(0).score(), 1e-12);
        assertEquals(0.6, used.get(1).score(), 0.0);
        assertEquals(0.9, used.get(2).score(), 0.0);
        // Costs were asked for the rounded ratios only, once each.
        assertEquals(List.of("0.80", "0.50", "0.30"), c.costQueries.stream().map(BigDecimal::toString).toList());
    }

    @Test
    void theMonotonicFitRunsBeforeRounding() {
        // Scores linear in the ratio are a monotone polynomial: the fit leaves them, so the selection is the
        // one without the fit.
        EvalScores linear = new EvalScores();
        for (BigDecimal r : CandidateRatios.of(10)) {
            linear.record("A", r, r.doubleValue());
            linear.record("B", r, 0.5 * r.doubleValue() + 0.4);
        }
        GreedyParameters plain = GreedyParameters.target(0.7);
        GreedySelection without = new GreedySelector(plain).select(layers(), OTHER, linear);
        GreedySelection with = new GreedySelector(plain.withMonotonicFit(true)).select(layers(), OTHER, linear);
        assertEquals(without.layers(), with.layers());
        assertEquals(without.modelRatio(), with.modelRatio());

        // A dip in A's curve is smoothed away: the scores searched are non-decreasing in the ratio.
        EvalScores dipped = linear.copy();
        dipped.record("A", d("0.5"), 0.1);
        GreedySelection fitted = new GreedySelector(plain.withMonotonicFit(true)).select(layers(), OTHER, dipped);
        List<RatioScore> a = fitted.scores().scores("A");
        for (int i = 1; i < a.size(); i++) {
            assertTrue(a.get(i).score() >= a.get(i - 1).score() - 1e-12, "fitted scores must not fall: " + a);
        }
        // Without the fit the dip survives into the searched scores.
        GreedySelection raw = new GreedySelector(plain).select(layers(), OTHER, dipped);
        assertEquals(0.1, raw.scores().score("A", d("0.5")).orElseThrow());
    }

    @Test
    void scoresOfLayersThatAreNotCandidatesAreNotUsed() {
        EvalScores extra = scores();
        // A far lower score on a layer that is no longer a candidate would change low if it were used.
        extra.record("old", d("0.5"), -100);
        GreedySelection s = new GreedySelector(GreedyParameters.target(0.625).withCandidates(4)).select(layers(), OTHER, extra);
        assertEquals(0.55, s.threshold());
        assertEquals(List.of("A", "B"), s.scores().layers());
    }

    @Test
    void partitionTellsTheDriverWhatToEvaluate() {
        List<FakeLayer> all = List.of(new FakeLayer("features.0", 10), new FakeLayer("features.3", 10),
                new FakeLayer("classifier", 10));
        GreedySelector selector = new GreedySelector(GreedyParameters.target(0.5).withLayersToIgnore("classifier", "head*"));
        GreedySelector.Partition p = selector.partition(all);
        assertEquals(List.of("features.0", "features.3"), p.candidateNames());
        assertEquals(List.of("classifier"), p.ignored().stream().map(SelectableLayer::name).toList());
        assertEquals(List.of("head*"), p.unmatchedPatterns());
        assertEquals(18, new EvalScores().missing(p.candidateNames(), selector.parameters().candidateRatios()).size());
    }

    @Test
    void clearErrorsForUnusableInput() {
        GreedySelector selector = new GreedySelector(GreedyParameters.target(0.5).withCandidates(4));
        EvalScores onlyA = new EvalScores();
        onlyA.record("A", d("0.5"), 0.3);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> selector.select(layers(), OTHER, onlyA));
        assertTrue(missing.getMessage().contains("[B]"), missing.getMessage());

        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> selector.select(List.of(new FakeLayer("A", 1), new FakeLayer("A", 2)), 0, scores()));
        assertTrue(duplicate.getMessage().contains("\"A\""), duplicate.getMessage());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new GreedySelector(GreedyParameters.target(0.5).withLayersToIgnore("*")).select(layers(), OTHER, scores()));
        assertTrue(none.getMessage().contains("no layer left"), none.getMessage());

        assertThrows(IllegalArgumentException.class, () -> selector.select(layers(), -1, scores()));
    }

    @Test
    void allScoresEqualStopAtOnce() {
        // Window of width 0: closes at the first step with low = the score, where every layer's lowest score
        // equals t, so nothing is compressed.
        EvalScores flat = new EvalScores();
        for (BigDecimal r : CandidateRatios.of(4)) {
            flat.record("A", r, 0.7);
            flat.record("B", r, 0.7);
        }
        GreedySelection s = new GreedySelector(GreedyParameters.target(0.5).withCandidates(4)).select(layers(), OTHER, flat);
        assertEquals(SearchOutcome.WINDOW_CLOSED, s.outcome());
        assertEquals(1, s.steps().size());
        assertEquals(1.0, s.modelRatio());
        assertTrue(s.layers().stream().noneMatch(LayerRatio::compressed));
    }
}
