package dev.wsvd.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Maps a data interval onto a pixel interval, and picks readable tick values (steps of 1, 2 or 5 times a power of ten). */
record LinearScale(double domainMin, double domainMax, double rangeMin, double rangeMax) {
    LinearScale {
        if (!(domainMax > domainMin)) {
            throw new IllegalArgumentException("empty domain [" + domainMin + ", " + domainMax + "]");
        }
    }

    /** The pixel position of {@code value}. */
    double map(double value) {
        return rangeMin + (value - domainMin) / (domainMax - domainMin) * (rangeMax - rangeMin);
    }

    /** A tick step that gives about {@code count} ticks over the domain. */
    double tickStep(int count) {
        double raw = (domainMax - domainMin) / Math.max(1, count);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * magnitude >= raw * (1 - 1e-9)) {
                return factor * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** Multiples of the tick step inside the domain. */
    List<Double> ticks(int count) {
        double step = tickStep(count);
        List<Double> ticks = new ArrayList<>();
        double first = Math.ceil(domainMin / step - 1e-9) * step;
        for (int i = 0; ; i++) {
            double tick = first + i * step;
            if (tick > domainMax + step * 1e-9) {
                break;
            }
            // snap away binary noise such as 0.30000000000000004
            ticks.add(Double.parseDouble(String.format(Locale.ROOT, "%.10g", tick)));
        }
        return ticks;
    }

    /** A coordinate for SVG: one decimal, locale-independent. */
    static String px(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
