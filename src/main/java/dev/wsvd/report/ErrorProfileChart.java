package dev.wsvd.report;

import dev.wsvd.CompressionStats.ErrorProfile;

/**
 * One layer's truncation error against rank as a small SVG chart, from its error profile, with the chosen rank
 * marked. Long profiles are thinned to at most {@value #MAX_POINTS} points for drawing (the curve is smooth and
 * monotone, so nothing visible is lost); the chosen rank is always among them.
 */
final class ErrorProfileChart {
    static final int WIDTH = 290;
    static final int HEIGHT = 196;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 36;
    static final int MAX_POINTS = 160;

    private ErrorProfileChart() {
    }

    /** @param chosenRank the rank the layer was split at, or 0 when it was not compressed */
    static void render(Markup m, ErrorProfile profile, int chosenRank) {
        int maxRank = profile.maxRank();
        SvgPlot plot = new SvgPlot(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, maxRank == 1 ? 0 : 1, maxRank, 0, 1);
        plot.open(m, "chart error-profile", profile.layer(), "Relative error against rank for " + profile.layer()
                + (profile.outputError() == null ? "" : " (solid: weight error; dashed: output error on the calibration inputs)"));
        double xStep = plot.x().tickStep(4);
        plot.axes(m, 4, 4, v -> Formats.tick(v, Math.max(1, xStep)), v -> Formats.tick(v, 0.25), "rank", "relative error");

        int stride = Math.max(1, (int) Math.ceil(maxRank / (double) MAX_POINTS));
        int count = 0;
        double[] xs = new double[maxRank / stride + 3];
        double[] ys = new double[xs.length];
        for (int rank = 1; rank <= maxRank; rank++) {
            boolean keep = (rank - 1) % stride == 0 || rank == maxRank || rank == chosenRank;
            if (keep) {
                xs[count] = rank;
                ys[count] = profile.relativeErrorAt(rank);
                count++;
            }
        }
        m.empty("polyline", "class", "error", "points", plot.polyline(java.util.Arrays.copyOf(xs, count), java.util.Arrays.copyOf(ys, count)));
        if (profile.outputError() != null) {
            // data-aware split: the output error on the calibration inputs, what the split minimises, beside the weight error
            double[] output = profile.outputError();
            double[] outputYs = new double[count];
            for (int i = 0; i < count; i++) {
                outputYs[i] = output[(int) xs[i] - 1];
            }
            m.empty("polyline", "class", "output-error", "points", plot.polyline(java.util.Arrays.copyOf(xs, count), outputYs),
                    "stroke-dasharray", "4 3");
        }
        if (chosenRank > 0) {
            double error = profile.relativeErrorAt(chosenRank);
            plot.chosenMarker(m, "data-rank", Integer.toString(chosenRank), chosenRank, error,
                    "rank " + chosenRank + ": relative error " + Formats.relativeError(error), "r " + chosenRank, 60);
        }
        m.end("svg");
    }
}
