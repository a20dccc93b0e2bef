package dev.wsvd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wsvd.CompressionStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheThreeRenderingsIntoANewDirectory(@TempDir Path root) throws IOException {
        Path dir = root.resolve("out/report");
        CompressionStats stats = SampleStats.cnnAuto();
        ReportWriter.Written written = ReportWriter.write(stats, dir);
        assertEquals(List.of("report.html", "report.json", "report.txt"), listing(dir), "no temporary files left behind");
        assertEquals(dir.resolve("report.json"), written.json());
        assertEquals(ReportDocument.of(stats), JsonReportTest.read(Files.readString(written.json())));
        assertEquals(HtmlReport.render(stats), Files.readString(written.html()));
        assertEquals(TextReport.defaults().render(stats), Files.readString(written.text()));
    }

    @Test
    void filesGetTheUsualPermissionsNotATempFilesOwnerOnlyOnes(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path reference = Files.writeString(dir.resolve("reference.txt"), "created the ordinary way");
        ReportWriter.Written written = ReportWriter.write(SampleStats.cnnAuto(), dir.resolve("report"));
        for (Path file : List.of(written.json(), written.html(), written.text())) {
            assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file), file.toString());
        }
    }

    @Test
    void replacesAnEarlierReport(@TempDir Path dir) throws IOException {
        ReportWriter.write(SampleStats.miniLmAuto(), dir);
        ReportWriter.Written second = ReportWriter.write(SampleStats.cnnManual(), dir, TextReport.builder().ascii(true).build());
        assertEquals(ReportDocument.of(SampleStats.cnnManual()), JsonReportTest.read(Files.readString(second.json())));
        assertEquals(TextReport.builder().ascii(true).build().render(SampleStats.cnnManual()), Files.readString(second.text()));
        assertTrue(Files.readString(second.html()).contains("manual mode"));
        assertEquals(List.of("report.html", "report.json", "report.txt"), listing(dir));
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAClearError(@TempDir Path root) throws IOException {
        Path file = Files.writeString(root.resolve("report"), "not a directory");
        var error = assertThrows(IOException.class, () -> ReportWriter.write(SampleStats.cnnAuto(), file));
        assertTrue(error.getMessage().contains(file.toString()) && error.getMessage().contains("not a directory"), error.getMessage());
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void aFailedMoveKeepsWhatWasThereAndCleansUp(@TempDir Path dir) throws IOException {
        // a non-empty directory named report.json cannot be replaced by a file
        Path blocker = Files.createDirectory(dir.resolve("report.json"));
        Files.writeString(blocker.resolve("keep.txt"), "kept");
        var error = assertThrows(IOException.class, () -> ReportWriter.write(SampleStats.cnnAuto(), dir));
        assertTrue(error.getMessage().contains("report.json"), error.getMessage());
        assertEquals("kept", Files.readString(blocker.resolve("keep.txt")));
        assertEquals(List.of("report.json"), listing(dir), "the temporary file was removed");
    }
}
