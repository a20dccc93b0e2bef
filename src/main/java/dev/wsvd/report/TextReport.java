package dev.wsvd.report;

import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.CostTotals;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.CalibrationSummary;
import dev.wsvd.CompressionStats.LayerCalibration;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.Method;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.CompressionStats.RunEnvironment;
import dev.wsvd.CompressionStats.Scores;
import dev.wsvd.CompressionStats.TargetOutcome;
import dev.wsvd.report.TextTable.Align;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Renders {@link CompressionStats} as plain text for a terminal: the summary the reference prints (baseline
 * and compressed score, memory and MAC ratio, target and achieved ratio), then one row per layer with
 * right-aligned, comma-grouped numbers, then the eval dictionary as a grid (auto mode).
 *
 * <p>Long layer names (transformer node names such as {@code /encoder/layer.0/attention/self/query/MatMul})
 * are shortened in the middle to {@link Builder#maxNameWidth}, and further when a {@link Builder#width} is
 * set and the table would not fit. A layer that was not compressed shows a dash in its rank, ratio and
 * error columns and its reason in the note column.
 *
 * <pre>{@code
 * System.out.print(TextReport.builder().width(terminalColumns).build().render(stats));
 * }</pre>
 */
final class TextReport {
    private static final int MIN_NAME_WIDTH = 24;
    private static final String GAP = "  ";

    private final int maxNameWidth;
    private final int width;
    private final boolean ascii;
    private final boolean evalGrid;
    private final String dash;
    private final String ellipsis;

    private TextReport(Builder builder) {
        this.maxNameWidth = builder.maxNameWidth;
        this.width = builder.width;
        this.ascii = builder.ascii;
        this.evalGrid = builder.evalGrid;
        this.dash = ascii ? "-" : "\u2014";
        this.ellipsis = ascii ? "..." : "\u2026";
    }

    /** A renderer with the defaults: names up to 48 characters, no width limit, Unicode dash and ellipsis, eval grid shown. */
    public static TextReport defaults() {
        return builder().build();
    }

    /** A builder for a renderer. */
    public static Builder builder() {
        return new Builder();
    }

    /** The whole report, ending with a newline. */
    public String render(CompressionStats stats) {
        StringBuilder out = new StringBuilder();
        renderSummary(stats, out);
        out.append('\n');
        renderLayers(stats, out);
        if (evalGrid && stats.evalDictionary() != null) {
            out.append('\n');
            renderEvalGrid(stats, out);
        }
        return out.toString();
    }

    /** Only the summary block (scores, ratios, target, counts, time), ending with a newline. */
    public String renderSummary(CompressionStats stats) {
        StringBuilder out = new StringBuilder();
        renderSummary(stats, out);
        return out.toString();
    }

    private void renderSummary(CompressionStats stats, StringBuilder out) {
        out.append("wsvd Weight SVD compression: ").append(stats.mode().name().toLowerCase(Locale.ROOT))
                .append(" mode, cost metric ").append(metricName(stats)).append('\n');
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"Input model", describe(stats.inputModel())});
        if (stats.outputModel() != null) {
            lines.add(new String[] {"Output model", describe(stats.outputModel())});
        }
        Scores scores = stats.scores();
        if (scores != null) {
            lines.add(new String[] {"Baseline score", Formats.score(scores.baseline().value())});
            lines.add(new String[] {"Compressed score", Formats.score(scores.compressed().value()) + "  ("
                    + Formats.scoreChange(scores.change()) + ")"});
            if (stats.scoreSets() != null) {
                lines.add(new String[] {"Scored on", stats.scoreSets().shared() ? Names.singleLine(stats.scoreSets().reported())
                        : "held-out " + Names.singleLine(stats.scoreSets().reported())});
                if (!stats.scoreSets().shared() && stats.mode() == dev.wsvd.CompressionMode.AUTO) {
                    lines.add(new String[] {"Searched on", Names.singleLine(stats.scoreSets().search())});
                }
            }
        } else {
            lines.add(new String[] {"Scores", "not evaluated (no evaluator)"});
        }
        CostTotals cost = stats.cost();
        lines.add(new String[] {"Memory ratio", Formats.modelRatio(cost.memoryRatio()) + "  (" + Formats.count(cost.memoryBefore())
                + " -> " + Formats.count(cost.memoryAfter()) + " weights)"});
        lines.add(new String[] {"MAC ratio", Formats.modelRatio(cost.macRatio()) + "  (" + Formats.count(cost.macsBefore())
                + " -> " + Formats.count(cost.macsAfter()) + " MACs)"});
        if (stats.latency() != null) {
            lines.add(new String[] {"Latency", Formats.latency(stats.latency())});
        }
        TargetOutcome target = stats.target();
        if (target != null) {
            lines.add(new String[] {"Target ratio", Formats.modelRatio(target.target()) + " " + metricName(stats) + ", achieved "
                    + Formats.modelRatio(target.achieved()) + (target.reached()
                    ? " (reached, within " + target.tolerance() + ")"
                    : " (closest reachable; not within " + target.tolerance() + ")")});
            if (target.hasScoreThreshold()) {
                lines.add(new String[] {"Score threshold", Formats.score(target.scoreThreshold())});
            }
        }
        if (stats.selection() != null) {
            lines.add(new String[] {"Selection", selection(stats.selection())});
        }
        lines.add(new String[] {"Layers compressed", stats.compressedLayerCount() + " of " + stats.layers().size()});
        lines.add(new String[] {"Method", method(stats)});
        lines.add(new String[] {"Time", describe(stats.timings())});
        lines.add(new String[] {"Environment", describe(stats.environment())});
        int labelWidth = lines.stream().mapToInt(line -> line[0].length()).max().orElse(0);
        for (String[] line : lines) {
            out.append(line[0]).repeat(' ', labelWidth - line[0].length() + 2).append(line[1]).append('\n');
        }
    }

    /** The method line: plain, or data-aware with what it calibrated on. */
    static String method(CompressionStats stats) {
        CalibrationSummary calibration = stats.calibration();
        if (stats.method() == Method.PLAIN || calibration == null) {
            return stats.method() == Method.PLAIN ? "plain (AIMET's Weight SVD: nearest rank-r weight)" : "data-aware";
        }
        CalibrationSummary.RefinementRun refinement = calibration.refinement();
        return "data-aware (rank-r weight with the nearest outputs), calibrated on " + Names.singleLine(calibration.source())
                + ": " + Formats.count(calibration.samples()) + " samples in " + Formats.duration(calibration.time())
                + (refinement == null ? "" : "; refined sequentially: " + Formats.count(refinement.layers()) + " layers ("
                        + Formats.count(refinement.residualLayers()) + " with their residual stream) in "
                        + Formats.count(refinement.passes()) + " more calibration passes, " + Formats.duration(refinement.time()));
    }

    /** The note of a data-aware layer: a fallback to the plain split, or the Gram's shift. */
    static String calibrationNote(LayerStats layer) {
        LayerCalibration calibration = layer.calibration();
        if (calibration == null) {
            return "";
        }
        if (!calibration.isWhitened()) {
            return "plain split: " + Names.singleLine(calibration.fallback());
        }
        return calibration.gramShift() > 0 ? "Gram shifted by " + String.format(Locale.ROOT, "%.1e", calibration.gramShift()) + " of its mean diagonal" : "";
    }

    /** The selection mode and its evaluations in one line. */
    static String selection(dev.wsvd.CompressionStats.SelectionSummary selection) {
        StringBuilder line = new StringBuilder(selection.mode().name().toLowerCase(Locale.ROOT)).append(", ")
                .append(selection.evaluations()).append(selection.evaluations() == 1 ? " evaluation" : " evaluations");
        if (selection.reusedScores() > 0) {
            line.append(" (+ ").append(selection.reusedScores()).append(" scores from the scores file)");
        }
        if (selection.mode() == dev.wsvd.SelectionMode.SPECTRUM) {
            line.append(", one probe per layer at ratio ").append(Formats.modelRatio(selection.probeRatio()))
                    .append(", search baseline ").append(Formats.score(selection.searchBaseline()));
        }
        return line.toString();
    }

    private void renderLayers(CompressionStats stats, StringBuilder out) {
        boolean dataAware = stats.method() == Method.DATA_AWARE;
        List<String> headers = new ArrayList<>(List.of("Layer", "Op", "Weight shape", "Rank", "Ratio", "Rel. error", "Params before",
                "Params after", "MACs before", "MACs after", "Note"));
        List<Align> aligns = new ArrayList<>(List.of(Align.LEFT, Align.LEFT, Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT,
                Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.LEFT));
        if (dataAware) {
            headers.add(6, "Out. error");
            aligns.add(6, Align.RIGHT);
        }
        List<List<String>> cells = new ArrayList<>();
        for (LayerStats layer : stats.layers()) {
            List<String> row = new ArrayList<>(headers.size());
            row.add(Names.singleLine(layer.name()));
            row.add(Names.singleLine(layer.op()));
            row.add(Formats.shape(layer.weightShape()));
            switch (layer.outcome()) {
                case LayerOutcome.Compressed c -> {
                    row.add(c.rank() + "/" + layer.maxRank());
                    row.add(Formats.ratio(c.ratio()));
                    row.add(Formats.relativeError(c.relativeError()));
                    if (dataAware) {
                        LayerCalibration calibration = layer.calibration();
                        row.add(calibration == null || Double.isNaN(calibration.outputError()) ? dash
                                : Formats.relativeError(calibration.outputError()));
                    }
                }
                case LayerOutcome.Kept kept -> {
                    row.add(dash);
                    row.add(dash);
                    row.add(dash);
                    if (dataAware) {
                        row.add(dash);
                    }
                }
            }
            row.add(Formats.count(layer.paramsBefore()));
            row.add(Formats.count(layer.paramsAfter()));
            row.add(Formats.count(layer.macsBefore()));
            row.add(Formats.count(layer.macsAfter()));
            String note = layer.outcome() instanceof LayerOutcome.Kept kept ? "not compressed: " + Names.singleLine(kept.describe())
                    : calibrationNote(layer);
            row.add(note);
            cells.add(row);
        }
        addRows(new TextTable(headers, aligns), headers, cells).render(out, "");
    }

    private void renderEvalGrid(CompressionStats stats, StringBuilder out) {
        EvalDictionary eval = stats.evalDictionary();
        out.append("Eval dictionary: model score with only that layer compressed, per candidate ratio (baseline ")
                .append(Formats.score(eval.baselineScore())).append(eval.hasFit() ? "; measured, before the monotonic fit" : "")
                .append(")\n");
        TreeSet<Double> ratios = new TreeSet<>();
        eval.measured().values().forEach(curve -> ratios.addAll(curve.keySet()));
        List<String> headers = new ArrayList<>();
        List<Align> aligns = new ArrayList<>();
        headers.add("Layer");
        aligns.add(Align.LEFT);
        for (double ratio : ratios) {
            headers.add(Formats.tick(ratio, ratioStep(ratios)));
            aligns.add(Align.RIGHT);
        }
        headers.add("Chosen");
        aligns.add(Align.RIGHT);
        List<List<String>> cells = new ArrayList<>();
        eval.measured().forEach((layerName, curve) -> {
            List<String> row = new ArrayList<>();
            row.add(Names.singleLine(layerName));
            for (double ratio : ratios) {
                Double score = curve.get(ratio);
                row.add(score == null ? "" : Formats.shortScore(score));
            }
            LayerStats layer = stats.layer(layerName);
            row.add(layer != null && layer.compressed() != null ? Formats.ratio(layer.compressed().ratio()) : dash);
            cells.add(row);
        });
        addRows(new TextTable(headers, aligns), headers, cells).render(out, "");
    }

    /** Adds the rows with their first cell, the layer name, shortened to the name column's width. */
    private TextTable addRows(TextTable table, List<String> headers, List<List<String>> cells) {
        int nameWidth = nameWidth(headers, cells);
        Names.Elider elider = Names.forColumn(cells.stream().map(row -> row.getFirst()).toList(), ellipsis);
        for (List<String> row : cells) {
            row.set(0, elider.elide(row.getFirst(), nameWidth));
            table.add(row);
        }
        return table;
    }

    /** Width of the name column: at most maxNameWidth, and less if a width limit leaves less room. */
    private int nameWidth(List<String> headers, List<List<String>> rows) {
        int longest = Names.width(headers.get(0));
        for (List<String> row : rows) {
            longest = Math.max(longest, Names.width(row.get(0)));
        }
        int limit = Math.max(MIN_NAME_WIDTH, maxNameWidth);
        if (width > 0) {
            // every column but the name counts against the width; of a trailing free-text note column, only its header
            boolean note = headers.getLast().equals("Note");
            int lastFixed = note ? headers.size() - 1 : headers.size();
            int others = note ? GAP.length() + Names.width(headers.getLast()) : 0;
            for (int c = 1; c < lastFixed; c++) {
                int columnWidth = Names.width(headers.get(c));
                for (List<String> row : rows) {
                    columnWidth = Math.max(columnWidth, Names.width(row.get(c)));
                }
                others += GAP.length() + columnWidth;
            }
            limit = Math.min(limit, Math.max(MIN_NAME_WIDTH, width - others));
        }
        return Math.min(longest, limit);
    }

    private static double ratioStep(TreeSet<Double> ratios) {
        double step = 1;
        Double previous = null;
        for (double ratio : ratios) {
            if (previous != null && ratio - previous > 0) {
                step = Math.min(step, ratio - previous);
            }
            previous = ratio;
        }
        return Math.max(step, 1e-4);
    }

    private static String metricName(CompressionStats stats) {
        return switch (stats.costMetric()) {
            case MAC -> "MAC";
            case MEMORY -> "memory";
        };
    }

    private static String describe(ModelFile model) {
        return (model.location() == null ? "(in memory)" : Names.singleLine(model.location())) + ", " + Formats.bytes(model.sizeBytes());
    }

    private static String describe(PhaseTimes times) {
        StringBuilder text = new StringBuilder(Formats.duration(times.total())).append(" total");
        String[] names = {"SVD", "rewriting", "evaluation", "selection", "writing"};
        Duration[] values = {times.svd(), times.rewriting(), times.evaluation(), times.selection(), times.writing()};
        String separator = ": ";
        for (int i = 0; i < names.length; i++) {
            if (!values[i].isZero()) {
                text.append(separator).append(names[i]).append(' ').append(Formats.duration(values[i]));
                separator = ", ";
            }
        }
        return text.toString();
    }

    private static String describe(RunEnvironment env) {
        return "wsvd " + Names.singleLine(env.wsvdVersion()) + ", " + Names.singleLine(env.jdk()) + ", " + Names.singleLine(env.os())
                + ", " + env.availableProcessors() + " CPUs, SIMD " + Names.singleLine(env.simdImplementation()) + ", BLAS threads "
                + env.blasThreads() + ", evaluation parallelism " + env.evaluationParallelism();
    }

    /** Builds a {@link TextReport}. */
    public static final class Builder {
        private int maxNameWidth = 48;
        private int width;
        private boolean ascii;
        private boolean evalGrid = true;

        private Builder() {
        }

        /** Longest layer name shown before it is shortened with an ellipsis; at least 24. Default 48. */
        public Builder maxNameWidth(int maxNameWidth) {
            if (maxNameWidth < MIN_NAME_WIDTH) {
                throw new IllegalArgumentException("max name width must be at least " + MIN_NAME_WIDTH + ", got " + maxNameWidth);
            }
            this.maxNameWidth = maxNameWidth;
            return this;
        }

        /**
         * Terminal width in columns: names are shortened further (down to 24 characters) so that the table's fixed
         * columns fit; the trailing note column, and tables too wide even then, may still run over. 0, the default,
         * means no limit.
         */
        public Builder width(int width) {
            if (width < 0) {
                throw new IllegalArgumentException("width must not be negative, got " + width);
            }
            this.width = width;
            return this;
        }

        /** Use {@code -} and {@code ...} instead of the em dash and the ellipsis character, for ASCII-only consoles. */
        public Builder ascii(boolean ascii) {
            this.ascii = ascii;
            return this;
        }

        /** Whether to print auto mode's eval dictionary as a grid after the layer table. Default true. */
        public Builder evalGrid(boolean evalGrid) {
            this.evalGrid = evalGrid;
            return this;
        }

        /** The renderer. */
        public TextReport build() {
            return new TextReport(this);
        }
    }
}
