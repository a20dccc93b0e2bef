package dev.wsvd.cli;

import dev.wsvd.CompressionStats;
import dev.wsvd.EmbeddingFidelity;
import dev.wsvd.Score;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Runs of one model at one target, printed as columns: what each reached, how well it scored (on the held-out data
 * when the evaluator has some) and what it cost. The demo puts the plain and the data-aware split side by side.
 */
final class SideBySide {
    private SideBySide() {
    }

    /** The table: one column per run, labelled; the runs share their model, target and evaluator. */
    static String render(List<String> labels, List<CompressionStats> runs) {
        if (labels.size() != runs.size() || runs.isEmpty()) {
            throw new IllegalArgumentException("one label per run, at least one run: " + labels.size() + " labels, " + runs.size() + " runs");
        }
        CompressionStats first = runs.getFirst();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", labels, Function.identity()));
        rows.add(row("MAC ratio", runs, stats -> String.format(Locale.ROOT, "%.4f", stats.cost().macRatio())));
        if (first.scores() != null) {
            Score original = first.scores().baseline();
            rows.add(row("Mean cosine", runs, stats -> number(stats.scores().compressed().value())));
            rows.add(row("Worst sentence cosine", runs, stats -> number(stats.scores().compressed().measure(EmbeddingFidelity.MIN_COSINE))));
            rows.add(row("Retrieval top-1", runs, stats -> number(stats.scores().compressed().measure(EmbeddingFidelity.RETRIEVAL_TOP1))
                    + " (original " + number(original.measure(EmbeddingFidelity.RETRIEVAL_TOP1)) + ")"));
        }
        rows.add(row("Layers split", runs, stats -> stats.compressedLayerCount() + " of " + stats.layers().size()));
        rows.add(row("Evaluations", runs, stats -> stats.selection() == null ? "-" : String.valueOf(stats.selection().evaluations())));
        rows.add(row("Time", runs, stats -> String.format(Locale.ROOT, "%.1f s", stats.timings().total().toMillis() / 1000.0)));
        StringBuilder out = new StringBuilder();
        out.append("Side by side at the same target");
        if (first.scoreSets() != null) {
            out.append(", scored on ").append(first.scoreSets().reported());
        }
        out.append('\n');
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                out.append(row[c]).repeat(' ', c == columns - 1 ? 0 : widths[c] - row[c].length() + 3);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static <T> String[] row(String label, List<T> runs, Function<T, String> cell) {
        String[] row = new String[runs.size() + 1];
        row[0] = label;
        for (int i = 0; i < runs.size(); i++) {
            row[i + 1] = cell.apply(runs.get(i));
        }
        return row;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }
}
