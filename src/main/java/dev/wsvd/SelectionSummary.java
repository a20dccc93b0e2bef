package dev.wsvd;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How auto mode chose its ranks, and what that cost in evaluations.
 *
 * @param mode           greedy (AIMET's search over every candidate ratio) or spectrum (one probe per layer)
 * @param evaluations    candidate or probe evaluations run by this run, on the search data (not counting the
 *                       original's and the compressed model's scores)
 * @param reusedScores   candidate or probe scores taken from the scores file instead of evaluated
 * @param searchBaseline the original model's score on the search data (what the candidates' or probes' scores
 *                       are compared with)
 * @param probeRatio     spectrum: the ratio each layer was probed at (its rank for that ratio); 0 for greedy
 * @param probeDrops     spectrum: layer &rarr; search baseline minus its probe's score (the layer's measured
 *                       sensitivity; negative when the probe scored higher), in model order; empty for greedy
 * @param predictedError spectrum: the allocation's summed predicted score loss; 0 for greedy
 */
public record SelectionSummary(SelectionMode mode, int evaluations, int reusedScores, double searchBaseline, double probeRatio,
                               Map<String, Double> probeDrops, double predictedError) {
    /** Checks the counts and copies the drops. */
    public SelectionSummary {
        Objects.requireNonNull(mode, "mode");
        if (evaluations < 0 || reusedScores < 0) {
            throw new IllegalArgumentException("evaluation counts must not be negative, got " + evaluations + " and " + reusedScores);
        }
        Checks.requireFinite(searchBaseline, "search baseline");
        Checks.requireFinite(probeRatio, "probe ratio");
        Checks.requireFinite(predictedError, "predicted error");
        probeDrops = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(probeDrops, "probeDrops")));
        probeDrops.forEach((layer, drop) -> Checks.requireFinite(drop, "the probe drop of " + layer));
    }

    /** Greedy selection's summary. */
    public static SelectionSummary greedy(int evaluations, int reusedScores, double searchBaseline) {
        return new SelectionSummary(SelectionMode.GREEDY, evaluations, reusedScores, searchBaseline, 0, Map.of(), 0);
    }
}
