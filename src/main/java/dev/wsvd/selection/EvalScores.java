package dev.wsvd.selection;

import dev.wsvd.json.JsonDocuments;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The greedy eval dictionary: layer name &rarr; (ratio &rarr; score), both levels in insertion order
 * (layers in forward order, ratios in the order they were scored), as in the reference's nested dicts.
 *
 * <p>The driver {@linkplain #record records} each score as it comes and {@linkplain #saveTo saves} after
 * every evaluation, so an interrupted run can {@linkplain #load load} the file and skip the pairs already
 * scored ({@link #missing}), or re-run selection with other parameters without evaluating again. Saving is
 * atomic: a crash mid-write leaves the previous file intact.
 *
 * <p>Ratio keys compare by numeric value, like Python {@code Decimal} dict keys: recording {@code 0.50}
 * where {@code 0.5} exists replaces the score and keeps the existing key and its position. Methods are
 * synchronized so evaluations running in parallel can record and save into one instance.
 */
public final class EvalScores {

    /** Value of the {@code format} field of a saved file. */
    public static final String FORMAT = "wsvd.greedy-eval-scores";
    /** Version of the saved layout this code writes and reads (2: {@code format_version} replaced {@code version}). */
    public static final int VERSION = 3;

    private final Map<String, List<RatioScore>> layers = new LinkedHashMap<>();
    private ScoresProvenance provenance;

    /** An empty dictionary. */
    public EvalScores() {
    }

    /**
     * Adds or replaces the score of {@code layer} at {@code ratio}.
     *
     * @throws IllegalArgumentException if the name is blank, the ratio outside (0, 1] or the score not finite
     */
    public synchronized void record(String layer, BigDecimal ratio, double score) {
        Objects.requireNonNull(layer, "layer");
        if (layer.isBlank()) {
            throw new IllegalArgumentException("layer name must not be blank");
        }
        RatioScore entry = new RatioScore(ratio, score);
        List<RatioScore> entries = layers.computeIfAbsent(layer, k -> new ArrayList<>());
        int at = indexOf(entries, ratio);
        if (at >= 0) {
            entries.set(at, new RatioScore(entries.get(at).ratio(), score));
        } else {
            entries.add(entry);
        }
    }

    /** The score of {@code layer} at {@code ratio} (numeric match), if recorded. */
    public synchronized OptionalDouble score(String layer, BigDecimal ratio) {
        List<RatioScore> entries = layers.get(layer);
        int at = entries == null ? -1 : indexOf(entries, ratio);
        return at < 0 ? OptionalDouble.empty() : OptionalDouble.of(entries.get(at).score());
    }

    /** Whether {@code layer} has a score at {@code ratio} (numeric match). */
    public synchronized boolean contains(String layer, BigDecimal ratio) {
        return score(layer, ratio).isPresent();
    }

    /** Layer names in insertion order. */
    public synchronized List<String> layers() {
        return List.copyOf(layers.keySet());
    }

    /** The scores of {@code layer} in insertion order; empty if the layer has none. */
    public synchronized List<RatioScore> scores(String layer) {
        List<RatioScore> entries = layers.get(layer);
        return entries == null ? List.of() : List.copyOf(entries);
    }

    /** Number of (layer, ratio) pairs scored. */
    public synchronized int size() {
        return layers.values().stream().mapToInt(List::size).sum();
    }

    /** Whether nothing has been recorded. */
    public synchronized boolean isEmpty() {
        return layers.isEmpty();
    }

    /**
     * The evaluations still to run for these layers at these ratios, layer by layer in the given order
     * (the reference's loop order), skipping pairs already scored.
     */
    public synchronized List<EvalTask> missing(List<String> layerNames, List<BigDecimal> ratios) {
        List<EvalTask> tasks = new ArrayList<>();
        for (String layer : layerNames) {
            for (BigDecimal ratio : ratios) {
                if (!contains(layer, ratio)) {
                    tasks.add(new EvalTask(layer, ratio));
                }
            }
        }
        return List.copyOf(tasks);
    }

    /** What the scores were measured on, as saved with them; null for a file written before wsvd recorded it. */
    public synchronized ScoresProvenance provenance() {
        return provenance;
    }

    /** Sets what the scores are measured on, saved with them by {@link #saveTo}. */
    public synchronized void provenance(ScoresProvenance provenance) {
        this.provenance = provenance;
    }

    /** An independent copy. */
    public synchronized EvalScores copy() {
        EvalScores copy = new EvalScores();
        copy.provenance = provenance;
        layers.forEach((name, entries) -> copy.layers.put(name, new ArrayList<>(entries)));
        return copy;
    }

    /**
     * Writes the dictionary as JSON to {@code file}, atomically (a crash mid-write leaves the previous file intact).
     * Missing parent folders are created.
     */
    public synchronized void saveTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JsonDocuments.write(file, toDocument());
    }

    /**
     * Reads a file written by {@link #saveTo}.
     *
     * @throws JsonDocuments.MalformedException if the file is not such a file; the message names the file and the first
     *                                    problem found
     * @throws IOException                if the file cannot be read at all
     */
    public static EvalScores load(Path file) throws IOException {
        Document document = JsonDocuments.read(file, Document.class, FORMAT, VERSION);
        EvalScores scores = new EvalScores();
        if (document.layers() == null) {
            throw new JsonDocuments.MalformedException(file, "it has no \"layers\"");
        }
        for (Map.Entry<String, Map<String, Double>> layer : document.layers().entrySet()) {
            readLayer(file, layer.getKey(), layer.getValue(), scores);
        }
        scores.provenance = document.provenance();
        return scores;
    }

    /**
     * The saved form: layer name &rarr; (ratio &rarr; score), ratios written as {@link BigDecimal#toString()} writes
     * them (as Python's {@code str(Decimal)} does), so they read back with the same digits and scale.
     */
    record Document(String format, int formatVersion, ScoresProvenance provenance, Map<String, Map<String, Double>> layers) {
    }

    private Document toDocument() {
        Map<String, Map<String, Double>> saved = new LinkedHashMap<>();
        layers.forEach((name, entries) -> {
            Map<String, Double> ratios = new LinkedHashMap<>();
            entries.forEach(entry -> ratios.put(entry.ratio().toString(), entry.score()));
            saved.put(name, ratios);
        });
        return new Document(FORMAT, VERSION, provenance, saved);
    }

    private static void readLayer(Path file, String name, Map<String, Double> ratios, EvalScores into)
            throws JsonDocuments.MalformedException {
        String where = "layer \"" + name + "\"";
        if (name.isBlank()) {
            throw new JsonDocuments.MalformedException(file, "a layer name is blank");
        }
        if (ratios == null || ratios.isEmpty()) {
            throw new JsonDocuments.MalformedException(file, where + " has no scores");
        }
        for (Map.Entry<String, Double> entry : ratios.entrySet()) {
            String key = entry.getKey();
            BigDecimal ratio;
            try {
                ratio = new BigDecimal(key);
            } catch (NumberFormatException e) {
                throw new JsonDocuments.MalformedException(file, where + ": ratio key \"" + key + "\" is not a decimal number");
            }
            if (ratio.signum() <= 0 || ratio.compareTo(BigDecimal.ONE) > 0) {
                throw new JsonDocuments.MalformedException(file, where + ": ratio " + key + " is outside (0, 1]");
            }
            if (into.contains(name, ratio)) {
                throw new JsonDocuments.MalformedException(file, where + ": ratio " + key + " appears twice (as equal decimals)");
            }
            Double score = entry.getValue();
            if (score == null || !Double.isFinite(score)) {
                throw new JsonDocuments.MalformedException(file, where + ", ratio " + key + ": score " + score + " is not finite");
            }
            into.record(name, ratio, score);
        }
    }

    private static int indexOf(List<RatioScore> entries, BigDecimal ratio) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).ratio().compareTo(ratio) == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Equal when the layers, their ratio keys (same digits, same scale) and scores are the same, in the
     * same order: what a save and load round trip preserves.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EvalScores other)) {
            return false;
        }
        Map<String, List<RatioScore>> mine;
        Map<String, List<RatioScore>> theirs;
        synchronized (this) {
            mine = snapshot();
        }
        synchronized (other) {
            theirs = other.snapshot();
        }
        return mine.equals(theirs) && List.copyOf(mine.keySet()).equals(List.copyOf(theirs.keySet()));
    }

    @Override
    public synchronized int hashCode() {
        return layers.hashCode();
    }

    @Override
    public synchronized String toString() {
        return "EvalScores" + layers;
    }

    private Map<String, List<RatioScore>> snapshot() {
        Map<String, List<RatioScore>> copy = new LinkedHashMap<>();
        layers.forEach((name, entries) -> copy.put(name, List.copyOf(entries)));
        return copy;
    }
}
