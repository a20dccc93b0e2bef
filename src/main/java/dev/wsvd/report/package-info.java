/**
 * Renderings of {@link dev.wsvd.CompressionStats}: what a compression run reports, three ways.
 * <ul>
 *   <li>{@link dev.wsvd.report.TextReport}: a fixed-width table for a terminal, the reference's summary first;</li>
 *   <li>{@link dev.wsvd.report.JsonReport}: a stable, documented JSON layout (src/docs/report-format.md);</li>
 *   <li>{@link dev.wsvd.report.HtmlReport}: one self-contained HTML page with the reference's views (per-layer
 *       score curves, chosen ratio per layer) and more, which opens offline in any browser;</li>
 *   <li>{@link dev.wsvd.report.ReportWriter}: all three into a directory, each file written atomically.</li>
 * </ul>
 */
package dev.wsvd.report;
