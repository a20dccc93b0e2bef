package dev.wsvd.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesLeavingOnlyTheTarget() throws IOException {
        Path target = dir.resolve("out.bin");
        assertEquals(target.toAbsolutePath(), AtomicFile.write(target, new byte[] {1, 2, 3}).toAbsolutePath());
        AtomicFile.write(target, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(target));
        assertEquals(List.of("out.bin"), listing());
    }

    @Test
    void theFileGetsThePermissionsOfAFileCreatedNormally() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path reference = Files.writeString(dir.resolve("reference.txt"), "created the ordinary way");
        Path written = AtomicFile.write(dir.resolve("written.txt"), "atomically".getBytes());
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(written));
    }

    @Test
    void aFailureWhileWritingLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = Files.writeString(dir.resolve("kept.txt"), "old");
        IOException failure = assertThrows(IOException.class, () -> AtomicFile.write(target, channel -> {
            channel.write(ByteBuffer.wrap("half of the new".getBytes()));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", failure.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("kept.txt"), listing());
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(target, channel -> {
            throw new IllegalStateException("a bug in the writer");
        }));
        assertEquals(List.of("kept.txt"), listing());
    }

    @Test
    void aFailedMoveRemovesTheTemporary() throws IOException {
        Path blocker = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(blocker.resolve("inside.txt"), "a non-empty folder cannot be replaced by a file");
        assertThrows(IOException.class, () -> AtomicFile.write(blocker, new byte[] {1}));
        assertEquals(List.of("taken"), listing());
    }

    @Test
    void stagedFilesArePublishedTogetherOrNotAtAll() throws IOException {
        Path first = dir.resolve("model.onnx.data");
        Path second = dir.resolve("model.onnx");
        try (AtomicFile.Staged data = AtomicFile.stage(first, channel -> channel.write(ByteBuffer.wrap(new byte[] {7})));
             AtomicFile.Staged model = AtomicFile.stage(second, channel -> channel.write(ByteBuffer.wrap(new byte[] {8})))) {
            assertFalse(Files.exists(first) || Files.exists(second), "nothing is visible before publishing");
            data.publish();
            model.publish();
        }
        assertEquals(List.of("model.onnx", "model.onnx.data"), listing());

        try (AtomicFile.Staged abandoned = AtomicFile.stage(dir.resolve("never.bin"), channel -> { })) {
            assertEquals(3, listing().size(), "the staged temporary exists until closed");
        }
        assertEquals(List.of("model.onnx", "model.onnx.data"), listing(), "an unpublished file is removed on close");
    }

    @Test
    void concurrentWritersOfOnePathLeaveOneCompleteFile() throws Exception {
        Path target = dir.resolve("shared.bin");
        int writers = 8;
        int size = 1 << 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] contents = new byte[size];
                Arrays.fill(contents, (byte) (i + 1));
                results.add(pool.submit(() -> {
                    start.await();
                    return AtomicFile.write(target, contents);
                }));
            }
            start.countDown();
            for (Future<Path> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        byte[] written = Files.readAllBytes(target);
        assertEquals(size, written.length);
        byte first = written[0];
        for (byte b : written) {
            assertEquals(first, b, "one writer's contents, not a mix");
        }
        assertEquals(List.of("shared.bin"), listing(), "no temporary left behind");
    }

    @Test
    void staleTemporariesAreRemovedAndFreshOnesKept() throws IOException {
        Path stale = Files.writeString(dir.resolve(".lib.so.abc.tmp"), "left by a killed writer");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Files.writeString(dir.resolve(".lib.so.def.tmp"), "being written right now");
        Files.writeString(dir.resolve("lib.so"), "a real file");
        AtomicFile.deleteTemporariesOlderThan(dir, Duration.ofHours(1));
        assertEquals(List.of(".lib.so.def.tmp", "lib.so"), listing());
        assertTrue(Files.exists(dir.resolve("lib.so")));
    }

    /**
     * A pipe stands in for every special file here ({@code /dev/null} as root was the case found: the rename made the
     * system's null device a plain file). The special file must survive, and no temporary file stay behind.
     */
    @Test
    void refusesToReplaceAFileThatIsNotRegular(@TempDir Path dir) throws Exception {
        Path pipe = dir.resolve("out.onnx");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        IOException refused = assertThrows(IOException.class,
                () -> AtomicFile.write(pipe, new byte[]{1, 2, 3}));
        assertEquals("cannot write " + pipe + ": it is not a regular file (a device, pipe or socket); name a file",
                refused.getMessage());
        assertTrue(Files.exists(pipe) && !Files.isRegularFile(pipe), "the pipe is still a pipe");
        IOException checked = assertThrows(IOException.class,
                () -> OutputPaths.check(pipe, null));
        assertEquals(refused.getMessage(), checked.getMessage(), "the early check says the same");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(pipe), files.toList(), "no temporary file left");
        }
    }
}
