package dev.wsvd;

import dev.wsvd.selection.LayerPatterns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Manual mode's choice of ratios (the reference's {@code ManualModeParams}): a ratio per layer, given by
 * exact name or by glob ({@code *} any run of characters, {@code ?} one; see {@link LayerPatterns}), and
 * optionally one ratio for every other layer. Ratios are compressed over original cost in the run's metric,
 * in (0, 1].
 *
 * <p>A layer takes the ratio of the rule naming it exactly; otherwise of the first pattern (in the order
 * given) that matches it; otherwise {@link #allLayers()}; otherwise it is kept. Layers matching
 * {@link #ignore()} are kept whatever the rules say. A rule that matches no compressible layer is an error
 * (almost always a typo), reported with the layer names the model has.
 *
 * @param allLayers the ratio for every layer no rule names, or empty
 * @param rules     name or pattern &rarr; ratio, in the order given; names unique
 * @param ignore    names or patterns of layers never compressed
 */
record ManualRatios(OptionalDouble allLayers, Map<String, Double> rules, List<String> ignore) implements RankSelection {

    public ManualRatios {
        Objects.requireNonNull(allLayers, "allLayers (use OptionalDouble.empty() for none)");
        allLayers.ifPresent(ratio -> checkRatio(ratio, "the ratio for all layers"));
        Map<String, Double> copy = new LinkedHashMap<>();
        Objects.requireNonNull(rules, "rules").forEach((pattern, ratio) -> {
            Objects.requireNonNull(pattern, "layer name or pattern");
            if (pattern.isBlank()) {
                throw new IllegalArgumentException("a layer name or pattern must not be blank");
            }
            checkRatio(Objects.requireNonNull(ratio, () -> "ratio of " + pattern), "the ratio of layer " + pattern);
            copy.put(pattern, ratio);
        });
        rules = java.util.Collections.unmodifiableMap(copy);
        ignore = List.copyOf(ignore);
        LayerPatterns.of(ignore);
        if (allLayers.isEmpty() && rules.isEmpty()) {
            throw new IllegalArgumentException("manual mode needs a ratio: one for all layers, or one per layer name or pattern");
        }
    }

    /** One ratio for every layer. */
    public static ManualRatios forAllLayers(double ratio) {
        return new ManualRatios(OptionalDouble.of(ratio), Map.of(), List.of());
    }

    /** A ratio per layer name or pattern, in the map's order. */
    public static ManualRatios perLayer(Map<String, Double> rules) {
        return new ManualRatios(OptionalDouble.empty(), rules, List.of());
    }

    /** These ratios, also ignoring the given names or patterns. */
    public ManualRatios withIgnored(List<String> patterns) {
        return new ManualRatios(allLayers, rules, patterns);
    }

    /** What the rules decide for one layer. */
    sealed interface Decision {
        /** Split at this ratio; {@code rule} is the name or pattern that gave it, or null for the all-layers ratio. */
        record Ratio(double ratio, String rule) implements Decision {
        }

        /** Keep: the layer matches the ignore list. */
        record Ignored(String pattern) implements Decision {
        }

        /** Keep: no rule names the layer and there is no ratio for all layers. */
        record NoRatio() implements Decision {
        }
    }

    /**
     * The decision for each of {@code layers} (compressible layer names in model order).
     *
     * @throws IllegalArgumentException if a rule or ignore pattern matches none of the layers; the message
     *                                  lists the names it could have matched
     */
    Map<String, Decision> resolve(List<String> layers) {
        Map<String, LayerPatterns> rulePatterns = compile(rules.keySet());
        Map<String, LayerPatterns> ignorePatterns = compile(ignore);
        Map<String, Decision> decisions = new LinkedHashMap<>();
        for (String layer : layers) {
            String ignoredBy = firstMatch(ignorePatterns, layer);
            String rule = rules.containsKey(layer) ? layer : firstMatch(rulePatterns, layer);
            if (ignoredBy != null) {
                decisions.put(layer, new Decision.Ignored(ignoredBy));
            } else if (rule != null) {
                decisions.put(layer, new Decision.Ratio(rules.get(rule), rule));
            } else if (allLayers.isPresent()) {
                decisions.put(layer, new Decision.Ratio(allLayers.getAsDouble(), null));
            } else {
                decisions.put(layer, new Decision.NoRatio());
            }
        }
        // A rule that an earlier one overrides for every layer it matches still matched: only typos are errors.
        List<String> unmatched = new ArrayList<>();
        rulePatterns.forEach((text, pattern) -> {
            if (layers.stream().noneMatch(pattern::matches)) {
                unmatched.add(text);
            }
        });
        ignorePatterns.forEach((text, pattern) -> {
            if (layers.stream().noneMatch(pattern::matches)) {
                unmatched.add(text);
            }
        });
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("no compressible layer matches " + quoted(unmatched) + "; the model's compressible "
                    + "layers are " + preview(layers) + " (run `wsvd inspect MODEL` to list them with their shapes)");
        }
        return decisions;
    }

    private static Map<String, LayerPatterns> compile(java.util.Collection<String> patterns) {
        Map<String, LayerPatterns> compiled = new LinkedHashMap<>();
        patterns.forEach(p -> compiled.put(p, LayerPatterns.of(List.of(p))));
        return compiled;
    }

    private static String firstMatch(Map<String, LayerPatterns> patterns, String layer) {
        for (Map.Entry<String, LayerPatterns> entry : patterns.entrySet()) {
            if (entry.getValue().matches(layer)) {
                return entry.getKey();
            }
        }
        return null;
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "\"" + n + "\"").collect(java.util.stream.Collectors.joining(", "));
    }

    static String preview(List<String> names) {
        int shown = Math.min(names.size(), 12);
        String list = String.join(", ", names.subList(0, shown));
        return names.isEmpty() ? "(none)" : names.size() > shown ? list + " and " + (names.size() - shown) + " more" : list;
    }

    private static void checkRatio(double ratio, String what) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException(what + " must be in (0, 1] (compressed cost / original cost), got " + ratio);
        }
    }
}
