package dev.wsvd.report;

import java.time.Duration;
import java.util.Locale;

/**
 * Number formats shared by the renderings, independent of the JVM's locale so that reports read the same
 * everywhere: comma thousands separators, a dot for decimals.
 */
final class Formats {
    private Formats() {
    }

    /** A weight shape as the tables show it: {@code 64x32x5x5}. */
    static String shape(java.util.List<Long> dims) {
        return dims.isEmpty() ? "[]" : dims.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("x"));
    }

    /** A count with thousands separators: {@code 1,234,567}. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A count in compact form for chart labels: {@code 950}, {@code 12.3k}, {@code 4.5M}, {@code 1.2G}. */
    static String compact(double value) {
        double magnitude = Math.abs(value);
        if (magnitude < 1_000) {
            return trimZeros(String.format(Locale.ROOT, "%.1f", value));
        }
        String[] suffixes = {"k", "M", "G", "T"};
        int index = -1;
        while (magnitude >= 1_000 && index < suffixes.length - 1) {
            magnitude /= 1_000;
            value /= 1_000;
            index++;
        }
        return trimZeros(String.format(Locale.ROOT, magnitude < 10 ? "%.2f" : magnitude < 100 ? "%.1f" : "%.0f", value)) + suffixes[index];
    }

    /** A ratio as in the per-layer rows: 3 decimals. */
    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A model ratio as in the summary: 4 decimals. */
    static String modelRatio(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** A score: 6 decimals, as the reference prints accuracies. */
    static String score(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    /** A score change with its sign: {@code +0.001200}, {@code -0.034000}. */
    static String scoreChange(double value) {
        return String.format(Locale.ROOT, "%+.6f", value);
    }

    /** A score in a dense grid (the eval dictionary): 4 decimals. */
    static String shortScore(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** A relative error: 4 decimals. */
    static String relativeError(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** A number for chart ticks, with no more decimals than {@code step} needs. */
    static String tick(double value, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", value);
    }

    /** A duration for people: {@code 0 ms}, {@code 850 ms}, {@code 12.3 s}, {@code 3 min 12 s}, {@code 1 h 02 min}. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3_600, seconds % 3_600 / 60);
    }

    /** A size in bytes with its binary-unit form: {@code 90,405,120 bytes (86.2 MiB)}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return count(bytes) + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int index = -1;
        while (value >= 1024 && index < units.length - 1) {
            value /= 1024;
            index++;
        }
        return count(bytes) + " bytes (" + String.format(Locale.ROOT, "%.1f", value) + " " + units[index] + ")";
    }

    /** Milliseconds with three significant decimals at small sizes: {@code 4.27 ms}, {@code 312 ms}. */
    static String millis(double ms) {
        return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : ms < 100 ? String.format(Locale.ROOT, "%.1f ms", ms)
                : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    /** {@code 1.52x faster}, {@code 0.91x (slower)}. */
    static String speedup(double speedup) {
        return String.format(Locale.ROOT, "%.2fx", speedup) + (speedup >= 1 ? " faster" : " (slower)");
    }

    /** The latency line: medians, speedup, p95s, threads and workload. */
    static String latency(dev.wsvd.CompressionStats.LatencyStats latency) {
        return millis(latency.original().medianMillis()) + " -> " + millis(latency.compressed().medianMillis()) + " median ("
                + speedup(latency.speedup()) + "), p95 " + millis(latency.original().p95Millis()) + " -> "
                + millis(latency.compressed().p95Millis()) + "; " + latency.threads() + (latency.threads() == 1 ? " thread, " : " threads, ")
                + latency.original().runs() + "/" + latency.compressed().runs() + " runs of " + latency.workload();
    }

    private static String trimZeros(String number) {
        if (!number.contains(".")) {
            return number;
        }
        String trimmed = number.replaceAll("0+$", "");
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
