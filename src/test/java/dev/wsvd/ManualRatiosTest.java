package dev.wsvd;

import dev.wsvd.ManualRatios.Decision;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManualRatiosTest {

    private static final List<String> LAYERS = List.of("conv1", "conv2", "encoder.0.query", "encoder.0.key", "fc");

    private static Map<String, Double> rules(Object... nameRatio) {
        Map<String, Double> rules = new LinkedHashMap<>();
        for (int i = 0; i < nameRatio.length; i += 2) {
            rules.put((String) nameRatio[i], (Double) nameRatio[i + 1]);
        }
        return rules;
    }

    @Test
    void exactNamesBeatPatternsAndTheFirstPatternWins() {
        ManualRatios ratios = new ManualRatios(OptionalDouble.of(0.9),
                rules("encoder.*", 0.3, "*.query", 0.2, "encoder.0.key", 0.6, "conv1", 0.5), List.of());
        Map<String, Decision> decided = ratios.resolve(LAYERS);
        assertEquals(new Decision.Ratio(0.5, "conv1"), decided.get("conv1"));
        assertEquals(new Decision.Ratio(0.9, null), decided.get("conv2"), "the all-layers ratio");
        assertEquals(new Decision.Ratio(0.3, "encoder.*"), decided.get("encoder.0.query"), "first pattern in order");
        assertEquals(new Decision.Ratio(0.6, "encoder.0.key"), decided.get("encoder.0.key"), "exact name first");
        assertEquals(List.copyOf(LAYERS), List.copyOf(decided.keySet()), "model order");
    }

    @Test
    void withoutAnAllLayersRatioUnnamedLayersAreKept() {
        Map<String, Decision> decided = ManualRatios.perLayer(rules("conv1", 0.5, "conv2", 0.4)).resolve(LAYERS);
        assertEquals(new Decision.NoRatio(), decided.get("fc"));
        assertEquals(new Decision.Ratio(0.4, "conv2"), decided.get("conv2"));
    }

    @Test
    void ignoredLayersAreKeptWhateverTheRulesSay() {
        Map<String, Decision> decided = ManualRatios.forAllLayers(0.5).withIgnored(List.of("conv*")).resolve(LAYERS);
        assertEquals(new Decision.Ignored("conv*"), decided.get("conv1"));
        assertEquals(new Decision.Ignored("conv*"), decided.get("conv2"));
        assertEquals(new Decision.Ratio(0.5, null), decided.get("fc"));
    }

    @Test
    void aRuleOrIgnorePatternMatchingNothingIsAnErrorListingTheLayers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ManualRatios.perLayer(rules("conv3", 0.5)).resolve(LAYERS));
        assertTrue(e.getMessage().contains("\"conv3\"") && e.getMessage().contains("conv1, conv2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ManualRatios.forAllLayers(0.5).withIgnored(List.of("decoder.*")).resolve(LAYERS));
        assertTrue(e.getMessage().contains("\"decoder.*\""), e.getMessage());
    }

    @Test
    void aRuleOverriddenByAnEarlierOneStillCountsAsMatched() {
        Map<String, Decision> decided = ManualRatios.perLayer(rules("conv*", 0.5, "conv2", 0.4)).resolve(LAYERS);
        assertEquals(new Decision.Ratio(0.4, "conv2"), decided.get("conv2"), "exact names win regardless of order");
        decided = ManualRatios.perLayer(rules("*", 0.5, "conv?", 0.4)).resolve(LAYERS);
        assertEquals(new Decision.Ratio(0.5, "*"), decided.get("conv2"));
    }

    @Test
    void ratiosOutsideZeroToOneAndEmptyRulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ManualRatios.forAllLayers(0));
        assertThrows(IllegalArgumentException.class, () -> ManualRatios.forAllLayers(1.5));
        assertThrows(IllegalArgumentException.class, () -> ManualRatios.forAllLayers(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ManualRatios.perLayer(rules("fc", -0.1)));
        assertThrows(IllegalArgumentException.class, () -> ManualRatios.perLayer(rules(" ", 0.5)));
        assertThrows(IllegalArgumentException.class, () -> ManualRatios.perLayer(Map.of()));
    }
}
