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
 * half-written one.
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
    public static Written write(CompressionStats stats, Path directory, TextReport text) throws IOException {
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

    private static Path writeFile(Path target, String content) throws IOException {
        try {
            return AtomicFile.write(target, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }
}
