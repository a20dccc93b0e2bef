package dev.wsvd;

import dev.wsvd.selection.GreedyParameters;

import java.util.Map;

/** Compressor builders from the parameter records the tests already use. */
final class TestCompressors {
    private TestCompressors() {
    }

    /** Auto mode with {@code greedy}'s target, candidates, fit and ignore list. */
    static WeightSvdCompressor.Builder auto(GreedyParameters greedy) {
        return WeightSvdCompressor.builder().target(greedy.targetRatio()).candidates(greedy.candidates())
                .monotonicFit(greedy.monotonicFit()).ignore(greedy.layersToIgnore().toArray(String[]::new));
    }

    /** Manual mode with one ratio per layer name or pattern, in the map's order. */
    static WeightSvdCompressor.Builder manual(Map<String, Double> rules) {
        WeightSvdCompressor.Builder builder = WeightSvdCompressor.builder();
        rules.forEach(builder::layerRatio);
        return builder;
    }
}
