package dev.wsvd.report;

import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.CostTotals;
import dev.wsvd.CompressionStats.ErrorProfile;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.LatencyStats;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.CompressionStats.RunEnvironment;
import dev.wsvd.CompressionStats.Scores;
import dev.wsvd.CompressionStats.TargetOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Renders {@link CompressionStats} as one self-contained HTML page: inline CSS and inline SVG charts, no
 * script, nothing fetched from anywhere, so it opens from disk in any browser, offline. It shows what the
 * reference's Bokeh views show and more:
 * <ul>
 *   <li>the summary: baseline and compressed score, memory and MAC ratio, target and achieved ratio, layer count,
 *       time per phase;</li>
 *   <li>the chosen ratio per layer as a bar chart (kept layers listed with their reason);</li>
 *   <li>the per-layer table (rank, ratio, relative error, params and MACs before and after);</li>
 *   <li>auto mode: one score curve per evaluated layer (score against candidate ratio, baseline and threshold
 *       lines, the monotonic fit if any, the chosen ratio marked), in a grid of small charts, and the eval
 *       dictionary as a table shaded by score drop;</li>
 *   <li>with error profiles: one relative-error-against-rank curve per profiled layer, the chosen rank marked;</li>
 *   <li>the run environment and the model files.</li>
 * </ul>
 * Every user-provided string (layer names, paths, reasons) is escaped. The markup is well-formed XML as well as
 * HTML5, which the tests use to check it.
 */
final class HtmlReport {
    private static final String STYLE = loadStyle();
    private static final String ELLIPSIS = "\u2026";
    /** Figure captions longer than this many characters are shortened (full name in the tooltip). */
    private static final int CAPTION_CHARS = 38;
    /** Table names up to this many characters stay on one line. */
    private static final int NAME_COLUMN_MAX_CHARS = 60;

    private HtmlReport() {
    }

    /** The whole page. */
    public static String render(CompressionStats stats) {
        Markup m = new Markup();
        m.raw("<!DOCTYPE html>\n");
        m.start("html", "lang", "en").newline();
        m.start("head");
        m.empty("meta", "charset", "utf-8");
        m.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
        m.empty("meta", "name", "generator", "content", "wsvd " + stats.environment().wsvdVersion());
        m.element("title", "wsvd report: " + modelName(stats.inputModel()));
        m.start("style").raw(STYLE).raw(nameColumnStyle(stats)).end("style");
        m.end("head").newline();
        m.start("body").start("main").newline();

        header(m, stats);
        summary(m, stats);
        phases(m, stats.timings());
        ratioChart(m, stats);
        layerTable(m, stats);
        if (stats.evalDictionary() != null) {
            scoreCurves(m, stats);
            evalTable(m, stats);
        }
        if (!stats.errorProfiles().isEmpty()) {
            errorProfiles(m, stats);
        }
        footer(m, stats);

        m.end("main").end("body").newline().end("html").newline();
        return m.finish();
    }

    /**
     * Keeps layer names on one line in the table up to {@value #NAME_COLUMN_MAX_CHARS} characters (the table layout
     * would otherwise squeeze them); longer names wrap after a {@code /}. Only a number goes into the CSS.
     */
    private static String nameColumnStyle(CompressionStats stats) {
        int longest = stats.layers().stream().mapToInt(layer -> Names.width(layer.name())).max().orElse(0);
        // + 3ch for the cell's 8px side paddings, which min-width includes (border-box)
        return "\ntable.layers td.name { min-width: " + (Math.min(longest, NAME_COLUMN_MAX_CHARS) + 3) + "ch; }\n";
    }

    private static void header(Markup m, CompressionStats stats) {
        m.element("h1", "Weight SVD compression report");
        StringBuilder subtitle = new StringBuilder()
                .append(stats.mode().name().toLowerCase(Locale.ROOT)).append(" mode \u00b7 cost metric ").append(metricName(stats))
                .append(" \u00b7 ").append(modelName(stats.inputModel()));
        if (stats.outputModel() != null) {
            subtitle.append(" \u2192 ").append(modelName(stats.outputModel()));
        }
        m.element("p", subtitle.toString(), "class", "subtitle").newline();
    }

    private static void summary(Markup m, CompressionStats stats) {
        m.start("section", "class", "cards", "id", "summary");
        Scores scores = stats.scores();
        if (scores != null) {
            m.start("div", "class", "card", "id", "card-score");
            m.element("div", "Compressed score", "class", "label");
            m.element("div", Formats.score(scores.compressed().value()), "class", "value");
            m.start("div", "class", "detail").text("baseline " + Formats.score(scores.baseline().value()) + " ");
            m.element("span", "(" + Formats.scoreChange(scores.change()) + ")", "class", scores.change() < 0 ? "negative" : null);
            if (stats.scoreSets() != null) {
                m.empty("br");
                m.text((stats.scoreSets().shared() ? "on " : "on held-out ") + stats.scoreSets().reported());
                if (!stats.scoreSets().shared() && stats.mode() == dev.wsvd.CompressionMode.AUTO) {
                    m.empty("br");
                    m.text("searched on " + stats.scoreSets().search());
                }
            }
            m.end("div").end("div");
        } else {
            card(m, "card-score", "Score", "\u2014", "not evaluated (no evaluator)", null);
        }
        CostTotals cost = stats.cost();
        card(m, "card-memory", "Memory ratio", Formats.modelRatio(cost.memoryRatio()),
                Formats.compact(cost.memoryBefore()) + " \u2192 " + Formats.compact(cost.memoryAfter()) + " weights",
                Formats.count(cost.memoryBefore()) + " \u2192 " + Formats.count(cost.memoryAfter()) + " weights");
        card(m, "card-mac", "MAC ratio", Formats.modelRatio(cost.macRatio()),
                Formats.compact(cost.macsBefore()) + " \u2192 " + Formats.compact(cost.macsAfter()) + " MACs",
                Formats.count(cost.macsBefore()) + " \u2192 " + Formats.count(cost.macsAfter()) + " MACs");
        if (stats.latency() != null) {
            LatencyStats latency = stats.latency();
            card(m, "card-latency", "Latency (median)", Formats.millis(latency.compressed().medianMillis()),
                    "original " + Formats.millis(latency.original().medianMillis()) + ", " + Formats.speedup(latency.speedup()),
                    Formats.latency(latency));
        }
        TargetOutcome target = stats.target();
        if (target != null) {
            m.start("div", "class", "card", "id", "card-target");
            m.element("div", "Achieved " + metricName(stats) + " ratio", "class", "label");
            m.element("div", Formats.modelRatio(target.achieved()), "class", "value");
            m.start("div", "class", "detail").text("target " + Formats.modelRatio(target.target()) + " ");
            if (target.reached()) {
                m.element("span", "reached", "class", "badge reached", "title", "within " + target.tolerance() + " of the target");
            } else {
                m.element("span", "closest reachable", "class", "badge closest",
                        "title", "the target is out of reach; this is the closest model ratio the candidates allow");
            }
            if (target.hasScoreThreshold()) {
                m.empty("br");
                m.text("score threshold " + Formats.score(target.scoreThreshold()));
            }
            if (stats.selection() != null) {
                m.empty("br");
                m.text("selection " + TextReport.selection(stats.selection()));
            }
            m.end("div").end("div");
        }
        card(m, "card-layers", "Layers compressed", stats.compressedLayerCount() + " of " + stats.layers().size(),
                (stats.layers().size() - stats.compressedLayerCount()) + " kept as they were", null);
        card(m, "card-method", "Method", stats.method() == dev.wsvd.Method.PLAIN ? "plain" : "data-aware",
                TextReport.method(stats), null);
        card(m, "card-time", "Wall time", Formats.duration(stats.timings().total()), "SVD " + Formats.duration(stats.timings().svd())
                + ", evaluation " + Formats.duration(stats.timings().evaluation()), null);
        m.end("section").newline();
    }

    /** A summary card; {@code detailTitle} is a tooltip for the detail line, or null. */
    private static void card(Markup m, String id, String label, String value, String detail, String detailTitle) {
        m.start("div", "class", "card", "id", id);
        m.element("div", label, "class", "label");
        m.element("div", value, "class", "value");
        m.element("div", detail, "class", "detail", "title", detailTitle);
        m.end("div");
    }

    private static void phases(Markup m, PhaseTimes times) {
        m.element("h2", "Time per phase");
        m.element("p", "Wall time. The phases are disjoint: a parallel candidate sweep's wall time is shared between rewriting "
                + "and evaluation in proportion to the workers' time; the rest of the total is set-up (reading, planning).",
                "class", "hint");
        String[] names = {"SVD", "rewriting", "evaluation", "selection", "writing", "total"};
        Duration[] values = {times.svd(), times.rewriting(), times.evaluation(), times.selection(), times.writing(), times.total()};
        long longest = 1;
        for (Duration value : values) {
            longest = Math.max(longest, value.toNanos());
        }
        m.start("div", "class", "phases", "id", "phases");
        for (int i = 0; i < names.length; i++) {
            double share = 100.0 * values[i].toNanos() / longest;
            m.element("div", names[i], "class", "name");
            m.start("div", "class", "track");
            m.empty("div", "class", i == names.length - 1 ? "fill total" : "fill",
                    "style", String.format(Locale.ROOT, "width:%.2f%%", share));
            m.end("div");
            m.element("div", Formats.duration(values[i]), "class", "time");
        }
        m.end("div").newline();
    }

    private static void ratioChart(Markup m, CompressionStats stats) {
        m.element("h2", "Chosen ratio per layer");
        m.element("p", "Compressed cost over original cost in the " + metricName(stats) + " metric, after rank rounding; "
                + "smaller is more compression. Hover a row for details.", "class", "hint");
        RatioBarChart.render(m, stats.layers(), metricName(stats), ELLIPSIS);
        m.newline();
    }

    private static void layerTable(Markup m, CompressionStats stats) {
        m.element("h2", "Layers");
        m.start("div", "class", "table-wrap");
        m.start("table", "class", "layers", "id", "layers");
        m.start("thead").start("tr");
        String[] headers = {"Layer", "Op", "Weight shape", "Rank", "Ratio", "Rel. error", "Params before", "Params after",
                "MACs before", "MACs after", "Note"};
        for (int i = 0; i < headers.length; i++) {
            m.element("th", headers[i], "class", i >= 3 && i <= 9 ? "num" : null);
        }
        m.end("tr").end("thead").start("tbody").newline();
        for (LayerStats layer : stats.layers()) {
            m.start("tr", "class", layer.isCompressed() ? null : "kept", "data-layer", layer.name());
            m.start("td", "class", "name").breakableText(layer.name()).end("td");
            m.element("td", layer.op());
            m.element("td", Formats.shape(layer.weightShape()), "class", "mono");
            switch (layer.outcome()) {
                case LayerOutcome.Compressed c -> {
                    m.element("td", c.rank() + " / " + layer.maxRank(), "class", "num");
                    m.element("td", Formats.ratio(c.ratio()), "class", "num");
                    m.element("td", Formats.relativeError(c.relativeError()), "class", "num");
                }
                case LayerOutcome.Kept kept -> {
                    m.element("td", "\u2014", "class", "num");
                    m.element("td", "\u2014", "class", "num");
                    m.element("td", "\u2014", "class", "num");
                }
            }
            m.element("td", Formats.count(layer.paramsBefore()), "class", "num");
            m.element("td", Formats.count(layer.paramsAfter()), "class", "num");
            m.element("td", Formats.count(layer.macsBefore()), "class", "num");
            m.element("td", Formats.count(layer.macsAfter()), "class", "num");
            m.element("td", layer.outcome() instanceof LayerOutcome.Kept kept ? "not compressed: " + kept.describe() : "", "class", "note");
            m.end("tr").newline();
        }
        m.end("tbody").end("table").end("div").newline();
    }

    private static void scoreCurves(Markup m, CompressionStats stats) {
        EvalDictionary eval = stats.evalDictionary();
        Double threshold = stats.target() != null && stats.target().hasScoreThreshold() ? stats.target().scoreThreshold() : null;
        m.element("h2", "Score against candidate ratio, per layer");
        m.element("p", "The model's score with only that layer compressed, at each candidate ratio (the eval dictionary). "
                + "Each chart has its own score scale.", "class", "hint");
        legend(m, eval.hasFit(), threshold != null);
        m.start("div", "class", "grid", "id", "score-curves").newline();
        Names.Elider elider = Names.forColumn(java.util.List.copyOf(eval.measured().keySet()), ELLIPSIS);
        eval.measured().forEach((name, measured) -> {
            LayerStats layer = stats.layer(name);
            LayerOutcome.Compressed compressed = layer == null ? null : layer.compressed();
            SortedMap<Double, Double> fitted = eval.fitted().get(name);
            m.start("figure", "class", compressed == null ? "kept" : null);
            m.element("figcaption", elider.elide(name, CAPTION_CHARS), "title", name);
            ScoreCurveChart.render(m, name, measured, fitted, eval.baselineScore(), threshold, compressed == null ? null : compressed.ratio());
            String note;
            if (compressed != null) {
                double score = Curves.interpolate(fitted != null ? fitted : measured, compressed.ratio());
                note = "chosen " + Formats.ratio(compressed.ratio()) + " \u00b7 score " + Formats.shortScore(score) + " \u00b7 rank "
                        + compressed.rank() + "/" + layer.maxRank();
            } else {
                note = "not compressed" + (layer != null && layer.outcome() instanceof LayerOutcome.Kept kept ? ": " + kept.describe() : "");
            }
            m.element("div", note, "class", "note");
            m.end("figure").newline();
        });
        m.end("div").newline();
    }

    private static void legend(Markup m, boolean fit, boolean threshold) {
        m.start("div", "class", "legend-row");
        legendItem(m, "measured score", "measured", true);
        if (fit) {
            legendItem(m, "monotonic fit", "fitted", false);
        }
        legendItem(m, "baseline score", "baseline", false);
        if (threshold) {
            legendItem(m, "score threshold", "threshold", false);
        }
        m.start("span");
        m.start("svg", "class", "legend", "width", "24", "height", "14", "viewBox", "0 0 24 14");
        m.empty("line", "class", "chosen-line", "x1", "12", "x2", "12", "y1", "0", "y2", "14");
        m.empty("circle", "class", "chosen-point", "cx", "12", "cy", "7", "r", "4");
        m.end("svg");
        m.text("chosen ratio");
        m.end("span");
        m.end("div");
    }

    private static void legendItem(Markup m, String label, String lineClass, boolean withPoint) {
        m.start("span");
        m.start("svg", "class", "legend", "width", "28", "height", "10", "viewBox", "0 0 28 10");
        m.empty("line", "class", lineClass, "x1", "0", "x2", "28", "y1", "5", "y2", "5");
        if (withPoint) {
            m.empty("circle", "class", "point", "cx", "14", "cy", "5", "r", "3");
        }
        m.end("svg");
        m.text(label);
        m.end("span");
    }

    private static void evalTable(Markup m, CompressionStats stats) {
        EvalDictionary eval = stats.evalDictionary();
        TreeSet<Double> ratios = new TreeSet<>();
        double lowest = eval.baselineScore();
        for (SortedMap<Double, Double> curve : eval.measured().values()) {
            ratios.addAll(curve.keySet());
            lowest = Math.min(lowest, Curves.min(curve));
        }
        double span = Math.max(eval.baselineScore() - lowest, 1e-12);
        m.element("h2", "Eval dictionary");
        m.element("p", "Measured scores (baseline " + Formats.score(eval.baselineScore()) + "); darker is a larger drop from the "
                + "baseline, the outlined cell is the chosen ratio.", "class", "hint");
        m.start("table", "class", "heat", "id", "eval-dictionary");
        m.start("thead").start("tr");
        m.element("th", "Layer", "class", "name");
        for (double ratio : ratios) {
            m.element("th", Formats.tick(ratio, 0.01));
        }
        m.end("tr").end("thead").start("tbody").newline();
        eval.measured().forEach((name, curve) -> {
            LayerStats layer = stats.layer(name);
            Double chosen = layer != null && layer.compressed() != null ? layer.compressed().ratio() : null;
            m.start("tr", "data-layer", name);
            m.element("td", name, "class", "name");
            for (double ratio : ratios) {
                Double score = curve.get(ratio);
                if (score == null) {
                    m.element("td", "");
                    continue;
                }
                double drop = Math.clamp((eval.baselineScore() - score) / span, 0, 1);
                String style = String.format(Locale.ROOT, "background:hsl(4,75%%,%.1f%%)%s", 97 - 45 * Math.sqrt(drop),
                        drop > 0.55 ? ";color:#fff" : "");
                m.element("td", Formats.shortScore(score), "class", chosen != null && chosen == ratio ? "chosen" : null, "style", style,
                        "title", "ratio " + Formats.tick(ratio, 0.01) + ": " + Formats.score(score));
            }
            m.end("tr").newline();
        });
        m.end("tbody").end("table").newline();
    }

    private static void errorProfiles(Markup m, CompressionStats stats) {
        m.element("h2", "Relative error against rank, per layer");
        m.element("p", "\u2016W \u2212 W\u1d63\u2016 / \u2016W\u2016 (Frobenius) for every rank r, from one SVD per layer; "
                + "the red line is the rank kept.", "class", "hint");
        m.start("div", "class", "grid", "id", "error-profiles").newline();
        Names.Elider elider = Names.forColumn(stats.errorProfiles().stream().map(ErrorProfile::layer).toList(), ELLIPSIS);
        for (ErrorProfile profile : stats.errorProfiles()) {
            LayerStats layer = stats.layer(profile.layer());
            LayerOutcome.Compressed compressed = layer.compressed();
            m.start("figure", "class", compressed == null ? "kept" : null);
            m.element("figcaption", elider.elide(profile.layer(), CAPTION_CHARS), "title", profile.layer());
            ErrorProfileChart.render(m, profile, compressed == null ? 0 : compressed.rank());
            m.element("div", compressed == null ? "not compressed"
                    : "rank " + compressed.rank() + "/" + layer.maxRank() + " \u00b7 error " + Formats.relativeError(compressed.relativeError()),
                    "class", "note");
            m.end("figure").newline();
        }
        m.end("div").newline();
    }

    private static void footer(Markup m, CompressionStats stats) {
        m.element("h2", "Run");
        RunEnvironment env = stats.environment();
        m.start("dl", "class", "facts", "id", "environment");
        fact(m, "Input model", describe(stats.inputModel()));
        fact(m, "Output model", stats.outputModel() == null ? "not written" : describe(stats.outputModel()));
        fact(m, "wsvd", env.wsvdVersion());
        fact(m, "JDK", env.jdk());
        fact(m, "OS", env.os() + ", " + env.availableProcessors() + " processors");
        fact(m, "SIMD", env.simdImplementation());
        fact(m, "BLAS threads", Integer.toString(env.blasThreads()));
        fact(m, "Evaluation parallelism", Integer.toString(env.evaluationParallelism()));
        m.end("dl");
        m.element("footer", "Written by wsvd " + env.wsvdVersion() + ". Self-contained: no scripts, no network.");
    }

    private static void fact(Markup m, String name, String value) {
        m.element("dt", name);
        m.element("dd", value);
    }

    private static String describe(ModelFile model) {
        return (model.location() == null ? "in memory" : model.location()) + " (" + Formats.bytes(model.sizeBytes()) + ")";
    }

    private static String modelName(ModelFile model) {
        if (model.location() == null) {
            return "in-memory model";
        }
        String location = model.location();
        int slash = Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\'));
        return slash >= 0 && slash < location.length() - 1 ? location.substring(slash + 1) : location;
    }

    private static String metricName(CompressionStats stats) {
        return switch (stats.costMetric()) {
            case MAC -> "MAC";
            case MEMORY -> "memory";
        };
    }

    private static String loadStyle() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css is missing from the wsvd jar (dev/wsvd/report/report.css)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read report.css from the wsvd jar", e);
        }
    }
}
