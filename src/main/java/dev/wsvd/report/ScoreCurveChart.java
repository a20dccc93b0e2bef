package dev.wsvd.report;

import java.util.Map;
import java.util.SortedMap;

/**
 * One layer's eval-dictionary curve as a small SVG chart: the model's score with only this layer compressed
 * against the candidate ratio, with the baseline score as a reference line, the selection's score threshold,
 * the monotonic fit when there is one, and the chosen ratio marked. The y scale is the layer's own (as in the
 * reference's per-layer plots) and always includes the baseline and the threshold.
 */
final class ScoreCurveChart {
    static final int WIDTH = 290;
    static final int HEIGHT = 196;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 36;
    /** Empty space above and below the data, as a fraction of its span. */
    private static final double PADDING = 0.08;
    /** The smallest y span drawn, so that a flat curve is not blown up into noise. */
    private static final double MIN_SPAN = 1e-3;

    private ScoreCurveChart() {
    }

    /**
     * @param layer       the layer's full name
     * @param measured    ratio to measured score
     * @param fitted      ratio to fitted score, or null
     * @param baseline    the uncompressed model's score
     * @param threshold   the selection's score threshold, or null
     * @param chosenRatio the layer's chosen ratio, or null when it was not compressed
     */
    static void render(Markup m, String layer, SortedMap<Double, Double> measured, SortedMap<Double, Double> fitted, double baseline,
                       Double threshold, Double chosenRatio) {
        double lo = Math.min(Curves.min(measured), baseline);
        double hi = Math.max(Curves.max(measured), baseline);
        if (fitted != null) {
            lo = Math.min(lo, Curves.min(fitted));
            hi = Math.max(hi, Curves.max(fitted));
        }
        if (threshold != null) {
            lo = Math.min(lo, threshold);
            hi = Math.max(hi, threshold);
        }
        if (hi - lo < MIN_SPAN) {
            double centre = (hi + lo) / 2;
            lo = centre - MIN_SPAN / 2;
            hi = centre + MIN_SPAN / 2;
        }
        double pad = (hi - lo) * PADDING;
        SvgPlot plot = new SvgPlot(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, 0, 1, lo - pad, hi + pad);
        plot.open(m, "chart score-curve", layer, "Score against candidate ratio for " + layer);
        double yStep = plot.y().tickStep(4);
        plot.axes(m, 5, 4, v -> Formats.tick(v, 0.2), v -> Formats.tick(v, yStep), "candidate ratio", "score");

        String left = LinearScale.px(plot.plotLeft());
        String right = LinearScale.px(plot.plotRight());
        String baseY = LinearScale.px(plot.y().map(baseline));
        m.start("line", "class", "baseline", "x1", left, "x2", right, "y1", baseY, "y2", baseY);
        m.element("title", "baseline score " + Formats.score(baseline));
        m.end("line");
        if (threshold != null) {
            String thresholdY = LinearScale.px(plot.y().map(threshold));
            m.start("line", "class", "threshold", "x1", left, "x2", right, "y1", thresholdY, "y2", thresholdY);
            m.element("title", "score threshold " + Formats.score(threshold));
            m.end("line");
        }
        if (fitted != null) {
            m.empty("polyline", "class", "fitted", "points", plot.polyline(Curves.keys(fitted), Curves.values(fitted)));
        }
        m.empty("polyline", "class", "measured", "points", plot.polyline(Curves.keys(measured), Curves.values(measured)));
        for (Map.Entry<Double, Double> point : measured.entrySet()) {
            m.start("circle", "class", "point", "cx", LinearScale.px(plot.x().map(point.getKey())),
                    "cy", LinearScale.px(plot.y().map(point.getValue())), "r", "3",
                    "data-ratio", Double.toString(point.getKey()), "data-score", Double.toString(point.getValue()));
            m.element("title", "ratio " + Formats.tick(point.getKey(), 0.01) + ": score " + Formats.score(point.getValue()));
            m.end("circle");
        }
        if (chosenRatio != null) {
            SortedMap<Double, Double> selection = fitted != null ? fitted : measured;
            double score = Curves.interpolate(selection, chosenRatio);
            String ratioText = Formats.ratio(chosenRatio);
            plot.chosenMarker(m, "data-ratio", Double.toString(chosenRatio), chosenRatio, score,
                    "chosen ratio " + ratioText + ": score " + Formats.score(score), ratioText, 40);
        }
        m.end("svg");
    }
}
