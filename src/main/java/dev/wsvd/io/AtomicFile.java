package dev.wsvd.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way wsvd writes a file: the contents go to a temporary file in the target's folder, are forced to disk,
 * and the temporary file is renamed over the target. A reader (another thread, another process, or the user after
 * a crash) sees the old file or the complete new one, never half of one. The new file gets the permissions any
 * new file gets (the umask decides), not the owner-only ones of {@link Files#createTempFile}. The temporary file
 * is removed whenever the write fails.
 *
 * <p>Concurrent writers of one target each write their own temporary file; the last rename wins, and the target is
 * always one writer's complete contents. The target's folder must exist.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("out/report.json"), bytes);
 *
 * // two files that belong together: both written before either is published
 * try (AtomicFile.Staged data = AtomicFile.stage(dataFile, dataContents);
 *      AtomicFile.Staged model = AtomicFile.stage(modelFile, modelContents)) {
 *     data.publish();
 *     model.publish();
 * }
 * }</pre>
 */
public final class AtomicFile {
    /** Temporary files are {@code .<target name>.<random>.tmp}. */
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private AtomicFile() {
    }

    /** What goes into the file, written once to the temporary file's channel. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /** Writes {@code contents} to {@code target} atomically; returns {@code target}. */
    public static Path write(Path target, Contents contents) throws IOException {
        try (Staged staged = stage(target, contents)) {
            staged.publish();
        }
        return target;
    }

    /** Writes {@code bytes} to {@code target} atomically; returns {@code target}. */
    public static Path write(Path target, byte[] bytes) throws IOException {
        return write(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /**
     * Writes {@code contents} to a temporary file beside {@code target} and forces it to disk, without publishing
     * it yet: {@link Staged#publish()} moves it into place, {@link Staged#close()} removes it if it was not published.
     */
    public static Staged stage(Path target, Contents contents) throws IOException {
        Objects.requireNonNull(contents, "contents");
        Path absolute = target.toAbsolutePath();
        OutputPaths.requireReplaceable(absolute);
        Path temporary = createTemporary(absolute);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            contents.writeTo(channel);
            // on disk before the rename publishes it, so a crash cannot leave a short file under the target's name
            channel.force(true);
        } catch (IOException | RuntimeException | Error e) {
            deleteAfterFailure(temporary, e);
            throw e;
        }
        return new Staged(temporary, absolute);
    }

    /** A complete temporary file waiting to be moved over its target. */
    public static final class Staged implements Closeable {
        private final Path temporary;
        private final Path target;
        private boolean published;

        private Staged(Path temporary, Path target) {
            this.temporary = temporary;
            this.target = target;
        }

        /** Renames the temporary file over the target, atomically. */
        public void publish() throws IOException {
            if (published) {
                throw new IllegalStateException(target + " was already published");
            }
            try {
                OutputPaths.requireReplaceable(target); // it may have become a device or pipe since it was staged
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + target + ": its file system cannot rename a file atomically, which"
                        + " writing without ever leaving half a file needs; choose a folder on another file system", e);
            }
            published = true;
        }

        /** Removes the temporary file unless it was published. */
        @Override
        public void close() throws IOException {
            if (!published) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Removes temporary files in {@code folder} older than {@code age}: what writers killed before they could clean
     * up left behind. Best effort; a file that cannot be removed stays.
     */
    public static void deleteTemporariesOlderThan(Path folder, Duration age) {
        Instant cutoff = Instant.now().minus(age);
        try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(folder, ".*" + TEMPORARY_SUFFIX)) {
            for (Path temporary : temporaries) {
                if (Files.getLastModifiedTime(temporary).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(temporary);
                }
            }
        } catch (IOException ignored) {
            // housekeeping only: a leftover temporary file costs disk space, never correctness
        }
    }

    /** A new empty file beside {@code target}, created as any new file is (unlike Files.createTempFile, owner-only). */
    private static Path createTemporary(Path target) throws IOException {
        while (true) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path candidate = target.resolveSibling("." + target.getFileName() + "." + random + TEMPORARY_SUFFIX);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void deleteAfterFailure(Path temporary, Throwable failure) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
