package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GreedyParametersTest {

    @Test
    void defaultsAreTheReferences() {
        GreedyParameters p = GreedyParameters.target(0.5);
        assertEquals(0.5, p.targetRatio());
        assertEquals(10, p.candidates());
        assertFalse(p.monotonicFit());
        assertEquals(List.of(), p.layersToIgnore());
        assertEquals(9, p.candidateRatios().size());
    }

    @Test
    void withersChangeOneThing() {
        GreedyParameters p = GreedyParameters.target(0.4).withCandidates(4).withMonotonicFit(true).withLayersToIgnore("fc", "conv?");
        assertEquals(new GreedyParameters(0.4, 4, true, List.of("fc", "conv?")), p);
    }

    @Test
    void preconditionsHaveClearMessages() {
        for (double bad : new double[] {0, -0.1, 1.0001, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GreedyParameters.target(bad));
            assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
        }
        GreedyParameters.target(1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GreedyParameters.target(0.5).withCandidates(1));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GreedyParameters.target(0.5).withLayersToIgnore(" "));
    }

    @Test
    void patternsMatchWholeNamesWithGlobs() {
        LayerPatterns p = LayerPatterns.of(List.of("fc", "features.*.conv", "block?"));
        assertTrue(p.matches("fc"));
        assertFalse(p.matches("fc2"));
        assertTrue(p.matches("features.3.conv"));
        assertTrue(p.matches("features.3.sub.conv"), "* crosses dots");
        assertFalse(p.matches("features.3.conv.bias"));
        assertFalse(p.matches("featuresX3Xconv"), "dots are literal");
        assertTrue(p.matches("block1"));
        assertFalse(p.matches("block12"));
        assertEquals(List.of("block?"), p.unmatched(List.of("fc", "features.0.conv")));
    }

    @Test
    void regexCharactersInNamesAreLiteral() {
        LayerPatterns p = LayerPatterns.of(List.of("layer[0]+(x)"));
        assertTrue(p.matches("layer[0]+(x)"));
        assertFalse(p.matches("layer0x"));
    }
}
