package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateRatiosTest {

    private static List<String> strings(List<BigDecimal> ratios) {
        return ratios.stream().map(BigDecimal::toString).toList();
    }

    @Test
    void tenCandidatesAreTheTenthsWithoutOne() {
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"),
                strings(CandidateRatios.of(10)));
    }

    @Test
    void threeCandidatesCarryPythonsTwentyEightDigits() {
        // Python: [(Decimal(1) / Decimal(3)) * i for i in (1, 2)]. The second is 1/3 rounded, then doubled,
        // so it ends in ...6, not ...7 as 2/3 rounded once would.
        assertEquals(List.of("0.3333333333333333333333333333", "0.6666666666666666666666666666"),
                strings(CandidateRatios.of(3)));
    }

    @Test
    void sevenCandidatesRoundTheProductLikePython() {
        // Python's str() of (Decimal(1) / Decimal(7)) * i, i = 1..6.
        assertEquals(List.of("0.1428571428571428571428571429", "0.2857142857142857142857142858",
                        "0.4285714285714285714285714287", "0.5714285714285714285714285716",
                        "0.7142857142857142857142857145", "0.8571428571428571428571428574"),
                strings(CandidateRatios.of(7)));
    }

    @Test
    void fourCandidatesKeepPythonsTrailingZero() {
        // Decimal('0.25') * 2 prints as 0.50 in Python; keys must print the same.
        assertEquals(List.of("0.25", "0.50", "0.75"), strings(CandidateRatios.of(4)));
    }

    @Test
    void twoCandidatesGiveOnlyOneHalf() {
        assertEquals(List.of("0.5"), strings(CandidateRatios.of(2)));
    }

    @Test
    void fewerThanTwoIsRejectedWithAClearMessage() {
        for (int n : new int[] {1, 0, -3}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CandidateRatios.of(n));
            assertTrue(e.getMessage().contains("at least 2") && e.getMessage().contains(Integer.toString(n)), e.getMessage());
        }
    }

    @Test
    void keysRoundTripThroughTheirStrings() {
        for (int n = 2; n <= 40; n++) {
            for (BigDecimal r : CandidateRatios.of(n)) {
                BigDecimal back = new BigDecimal(r.toString());
                assertEquals(r, back);
                assertEquals(r.scale(), back.scale());
            }
        }
    }
}
