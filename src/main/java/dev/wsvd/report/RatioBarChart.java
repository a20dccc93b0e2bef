package dev.wsvd.report;

import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import java.util.List;

/**
 * The chosen ratio per layer as horizontal bars, one row per layer in model order (the reference's "optimal
 * ratio per layer" view). A layer that was not compressed gets no bar but its reason, so no layer goes missing.
 */
final class RatioBarChart {
    /** Pixels per character of the monospace labels (12px fonts are about 7.2px wide), rounded up. */
    private static final double CHAR_WIDTH = 7.4;
    private static final int MIN_LABEL_WIDTH = 80;
    private static final int BAR_WIDTH = 420;
    private static final int VALUE_WIDTH = 190;
    private static final int ROW = 20;
    private static final int TOP = 10;
    private static final int BOTTOM = 38;
    /** Names longer than this many characters are shortened in the labels (full name in the tooltip). */
    private static final int LABEL_CHARS = 44;

    private RatioBarChart() {
    }

    static void render(Markup m, List<LayerStats> layers, String metricName, String ellipsis) {
        Names.Elider elider = Names.forColumn(layers.stream().map(LayerStats::name).toList(), ellipsis);
        List<String> labels = layers.stream().map(layer -> elider.elide(layer.name(), LABEL_CHARS)).toList();
        int longest = labels.stream().mapToInt(Names::width).max().orElse(0);
        int labelWidth = Math.max(MIN_LABEL_WIDTH, (int) Math.ceil(longest * CHAR_WIDTH) + 16);
        int height = TOP + layers.size() * ROW + BOTTOM;
        int width = labelWidth + BAR_WIDTH + VALUE_WIDTH;
        SvgPlot plot = new SvgPlot(width, height, labelWidth, VALUE_WIDTH, TOP, BOTTOM, 0, 1, 0, layers.size());
        plot.open(m, "chart ratio-bars", null, "Chosen ratio per layer");
        m.start("g", "class", "axes");
        for (double tick : plot.x().ticks(5)) {
            String px = LinearScale.px(plot.x().map(tick));
            m.empty("line", "class", "grid", "x1", px, "x2", px, "y1", LinearScale.px(plot.plotTop()), "y2", LinearScale.px(plot.plotBottom()));
            m.element("text", Formats.tick(tick, 0.2), "class", "tick", "x", px, "y", LinearScale.px(plot.plotBottom() + 14),
                    "text-anchor", "middle");
        }
        m.empty("line", "class", "axis", "x1", LinearScale.px(plot.plotLeft()), "x2", LinearScale.px(plot.plotLeft()),
                "y1", LinearScale.px(plot.plotTop()), "y2", LinearScale.px(plot.plotBottom()));
        m.element("text", "chosen ratio (" + metricName + ", compressed / original)", "class", "axis-title",
                "x", LinearScale.px((plot.plotLeft() + plot.plotRight()) / 2), "y", Integer.toString(height - 4), "text-anchor", "middle");
        m.end("g");

        for (int i = 0; i < layers.size(); i++) {
            LayerStats layer = layers.get(i);
            double rowTop = TOP + i * ROW;
            String middle = LinearScale.px(rowTop + ROW / 2.0);
            m.start("g", "class", layer.isCompressed() ? "bar-row" : "bar-row kept", "data-layer", layer.name());
            m.element("title", layer.name() + ": " + describe(layer));
            m.element("text", labels.get(i), "class", "bar-label", "x", Integer.toString(labelWidth - 8),
                    "y", middle, "text-anchor", "end", "dominant-baseline", "middle");
            switch (layer.outcome()) {
                case LayerOutcome.Compressed c -> {
                    double end = plot.x().map(c.ratio());
                    m.empty("rect", "class", "bar", "x", LinearScale.px(plot.plotLeft()), "y", LinearScale.px(rowTop + 3),
                            "width", LinearScale.px(end - plot.plotLeft()), "height", Integer.toString(ROW - 6),
                            "data-ratio", Double.toString(c.ratio()));
                    m.element("text", Formats.ratio(c.ratio()) + "  rank " + c.rank() + "/" + layer.maxRank(), "class", "bar-value",
                            "x", LinearScale.px(end + 6), "y", middle, "dominant-baseline", "middle");
                }
                case LayerOutcome.Kept kept -> m.element("text", "\u2014 not compressed: " + kept.describe(), "class", "bar-kept",
                        "x", LinearScale.px(plot.plotLeft() + 6), "y", middle, "dominant-baseline", "middle");
            }
            m.end("g");
        }
        m.end("svg");
    }

    private static String describe(LayerStats layer) {
        return switch (layer.outcome()) {
            case LayerOutcome.Compressed c -> "ratio " + Formats.ratio(c.ratio()) + ", rank " + c.rank() + " of " + layer.maxRank()
                    + ", relative error " + Formats.relativeError(c.relativeError());
            case LayerOutcome.Kept kept -> "not compressed: " + kept.describe();
        };
    }
}
