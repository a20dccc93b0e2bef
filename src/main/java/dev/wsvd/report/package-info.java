/**
 * Renderings of {@link dev.wsvd.CompressionStats}: what a compression run reports, three ways, all through one
 * front, {@link dev.wsvd.report.ReportWriter}:
 * <ul>
 *   <li>text ({@code renderText}): a fixed-width table for a terminal, the reference's summary first;</li>
 *   <li>JSON ({@code renderJson}): a stable, documented JSON layout (src/docs/report-format.md);</li>
 *   <li>HTML ({@code renderHtml}): one self-contained HTML page with the reference's views (per-layer
 *       score curves, chosen ratio per layer) and more, which opens offline in any browser;</li>
 *   <li>{@code write}: all three into a directory, each file written atomically.</li>
 * </ul>
 * The renderers themselves ({@code TextReport}, {@code JsonReport}, {@code HtmlReport}) are package-private.
 */
package dev.wsvd.report;
