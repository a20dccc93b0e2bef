package dev.wsvd.report;

import java.util.function.DoubleFunction;

/**
 * The frame of one SVG chart: its size, the plot area inside the margins, the two scales, and the axes with
 * ticks, grid lines and labels. Charts draw their data with {@link #x()} and {@link #y()}.
 */
final class SvgPlot {
    private final int width;
    private final int height;
    private final int top;
    private final LinearScale x;
    private final LinearScale y;

    /** A plot of {@code width x height} pixels with the given margins; y grows upwards. */
    SvgPlot(int width, int height, int left, int right, int top, int bottom, double xMin, double xMax, double yMin, double yMax) {
        this.width = width;
        this.height = height;
        this.top = top;
        this.x = new LinearScale(xMin, xMax, left, width - right);
        this.y = new LinearScale(yMin, yMax, height - bottom, top);
    }

    LinearScale x() {
        return x;
    }

    LinearScale y() {
        return y;
    }

    double plotLeft() {
        return x.rangeMin();
    }

    double plotRight() {
        return x.rangeMax();
    }

    double plotTop() {
        return y.rangeMax();
    }

    double plotBottom() {
        return y.rangeMin();
    }

    /** Opens the {@code <svg>} element with the plot's size, a class, a data-layer attribute and an accessible title. */
    void open(Markup m, String cssClass, String layer, String title) {
        m.start("svg", "class", cssClass, "data-layer", layer, "width", Integer.toString(width), "height", Integer.toString(height),
                "viewBox", "0 0 " + width + " " + height, "role", "img");
        m.element("title", title);
    }

    /** Grid lines, tick labels, axis lines and axis titles. */
    void axes(Markup m, int xTickCount, int yTickCount, DoubleFunction<String> xFormat, DoubleFunction<String> yFormat,
              String xTitle, String yTitle) {
        m.start("g", "class", "axes");
        for (double tick : y.ticks(yTickCount)) {
            String py = LinearScale.px(y.map(tick));
            m.empty("line", "class", "grid", "x1", LinearScale.px(plotLeft()), "x2", LinearScale.px(plotRight()), "y1", py, "y2", py);
            m.element("text", yFormat.apply(tick), "class", "tick", "x", LinearScale.px(plotLeft() - 5), "y", py, "text-anchor", "end",
                    "dominant-baseline", "middle");
        }
        for (double tick : x.ticks(xTickCount)) {
            String px = LinearScale.px(x.map(tick));
            m.empty("line", "class", "grid", "x1", px, "x2", px, "y1", LinearScale.px(plotTop()), "y2", LinearScale.px(plotBottom()));
            m.element("text", xFormat.apply(tick), "class", "tick", "x", px, "y", LinearScale.px(plotBottom() + 14), "text-anchor", "middle");
        }
        m.empty("line", "class", "axis", "x1", LinearScale.px(plotLeft()), "x2", LinearScale.px(plotRight()),
                "y1", LinearScale.px(plotBottom()), "y2", LinearScale.px(plotBottom()));
        m.empty("line", "class", "axis", "x1", LinearScale.px(plotLeft()), "x2", LinearScale.px(plotLeft()),
                "y1", LinearScale.px(plotTop()), "y2", LinearScale.px(plotBottom()));
        m.element("text", xTitle, "class", "axis-title", "x", LinearScale.px((plotLeft() + plotRight()) / 2), "y",
                LinearScale.px(height - 4), "text-anchor", "middle");
        if (yTitle != null) {
            double cy = (plotTop() + plotBottom()) / 2;
            m.element("text", yTitle, "class", "axis-title", "x", "0", "y", "0", "text-anchor", "middle",
                    "transform", "translate(11 " + LinearScale.px(cy) + ") rotate(-90)");
        }
        m.end("g");
    }

    /**
     * Marks the chosen point {@code (xValue, yValue)}: a group with a tooltip, a vertical line across the plot, a point, and
     * {@code label} at the bottom, drawn left of the line when it would run past the right edge by {@code labelWidth}.
     */
    void chosenMarker(Markup m, String dataName, String dataValue, double xValue, double yValue, String tooltip, String label,
                      int labelWidth) {
        String cx = LinearScale.px(x().map(xValue));
        m.start("g", "class", "chosen", dataName, dataValue);
        m.element("title", tooltip);
        m.empty("line", "class", "chosen-line", "x1", cx, "x2", cx, "y1", LinearScale.px(plotTop()),
                "y2", LinearScale.px(plotBottom()));
        m.empty("circle", "class", "chosen-point", "cx", cx, "cy", LinearScale.px(y().map(yValue)), "r", "5");
        boolean labelLeft = x().map(xValue) > plotRight() - labelWidth;
        m.element("text", label, "class", "chosen-label", "x", LinearScale.px(x().map(xValue) + (labelLeft ? -4 : 4)),
                "y", LinearScale.px(plotBottom() - 5), "text-anchor", labelLeft ? "end" : "start");
        m.end("g");
    }

    /** Points as an SVG {@code points} attribute value. */
    String polyline(double[] xs, double[] ys) {
        StringBuilder points = new StringBuilder(xs.length * 12);
        for (int i = 0; i < xs.length; i++) {
            if (i > 0) {
                points.append(' ');
            }
            points.append(LinearScale.px(x.map(xs[i]))).append(',').append(LinearScale.px(y.map(ys[i])));
        }
        return points.toString();
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int top() {
        return top;
    }
}
