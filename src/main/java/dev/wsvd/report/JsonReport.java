package dev.wsvd.report;

import dev.wsvd.CompressionStats;
import dev.wsvd.json.JsonDocuments;

/**
 * {@link CompressionStats} as JSON: report.json, format {@value #FORMAT}, version {@value #FORMAT_VERSION}, in the
 * snake_case spelling every wsvd JSON document shares (the layout is documented in src/docs/report-format.md).
 * Numbers are JSON numbers; durations are milliseconds (decimal, exact to the nanosecond); absent things are
 * {@code null}, never missing keys.
 */
final class JsonReport {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "wsvd-compression-report";
    /** The layout version this class writes. */
    public static final int FORMAT_VERSION = 1;

    private JsonReport() {
    }

    /** The statistics as pretty-printed JSON. */
    public static String toJson(CompressionStats stats) {
        return JsonDocuments.toText(ReportDocument.of(stats));
    }
}
