package dev.wsvd.report;

import dev.wsvd.CompressionStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a run's report into a directory: {@value #JSON}, {@value #HTML} and {@value #TEXT}. Each file is
 * written to a temporary file in the same directory and then moved over the target, so a reader (or a crash)
 * sees either the old file or the complete new one, never a half-written one.
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
        Path json = writeAtomically(directory.resolve(JSON), JsonReport.toJson(stats));
        Path html = writeAtomically(directory.resolve(HTML), HtmlReport.render(stats));
        Path txt = writeAtomically(directory.resolve(TEXT), text.render(stats));
        return new Written(json, html, txt);
    }

    /** Writes {@code content} as UTF-8 to a temporary file next to {@code target}, flushes it to disk and moves it over {@code target}. */
    static Path writeAtomically(Path target, String content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        // not Files.createTempFile: its owner-only permissions would survive the move and hide the report from others
        Path temp = directory.resolve("." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }
}
