package dev.wsvd.report;

import dev.wsvd.CompressionStats;
import java.io.IOException;
import dev.wsvd.io.AtomicFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a run's report into a directory: {@value #JSON}, {@value #HTML} and {@value #TEXT}, each through
 * {@link AtomicFile}, so a reader (or a crash) sees either the old file or the complete new one, never a
 * half-written one. The three renderings are also available as strings ({@link #renderText}, {@link #renderJson},
 * {@link #renderHtml}); this class is the package's one front.
 *
 * <pre>{@code
 * ReportWriter.Written files = ReportWriter.write(stats, Path.of("out/report"));
 * System.out.println("open " + files.html().toUri());
 * }</pre>
 */
public final class ReportWriter {
    /** File name of the JSON report. */
    public static final String JSON = "report.json";
    /** File name of the HTML report. */
    public static final String HTML = "report.html";
    /** File name of the text report. */
    public static final String TEXT = "report.txt";

    private ReportWriter() {
    }

    /** Where the three files went. */
    public record Written(Path json, Path html, Path text) {
    }

    /** Writes the three files into {@code directory}, creating it (and its parents) if needed. */
    public static Written write(CompressionStats stats, Path directory) throws IOException {
        return write(stats, directory, TextReport.defaults());
    }

    /** As {@link #write(CompressionStats, Path)}, rendering the text file with the given renderer. */
    static Written write(CompressionStats stats, Path directory, TextReport text) throws IOException {
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(text, "text");
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write the report into " + directory + ": it exists and is not a directory; "
                    + "choose another report directory", e);
        }
        Path json = writeFile(directory.resolve(JSON), JsonReport.toJson(stats));
        Path html = writeFile(directory.resolve(HTML), HtmlReport.render(stats));
        Path txt = writeFile(directory.resolve(TEXT), text.render(stats));
        return new Written(json, html, txt);
    }

    /**
     * The text report (what {@value #TEXT} holds): the summary the reference prints, one row per layer, and in auto
     * mode the eval dictionary as a grid; ends with a newline.
     */
    public static String renderText(CompressionStats stats) {
        return TextReport.defaults().render(Objects.requireNonNull(stats, "stats"));
    }

    /**
     * The JSON report (what {@value #JSON} holds): snake_case, pretty-printed, format {@value JsonReport#FORMAT}
     * version {@value JsonReport#FORMAT_VERSION}, laid out as src/docs/report-format.md documents.
     */
    public static String renderJson(CompressionStats stats) {
        return JsonReport.toJson(Objects.requireNonNull(stats, "stats"));
    }

    /**
     * The HTML report (what {@value #HTML} holds): one self-contained page, inline CSS and SVG charts, no script,
     * which opens offline in any browser.
     */
    public static String renderHtml(CompressionStats stats) {
        return HtmlReport.render(Objects.requireNonNull(stats, "stats"));
    }

    private static Path writeFile(Path target, String content) throws IOException {
        try {
            return AtomicFile.write(target, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }
}
