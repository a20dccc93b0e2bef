package dev.wsvd.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.CRC32;

/**
 * Extracts a {@link BundledOpenBlas} into a per-user cache directory, once, safely under concurrency.
 *
 * <p>No lock is needed: a file appears under its final name only by an atomic rename of a fully written and
 * verified temporary file in the same directory, so a reader (another thread, another JVM) sees either no
 * file or a complete one. Two writers racing write identical bytes and the last rename wins. Existing files
 * are checked against the jar's size and CRC-32 on every start (a few milliseconds for the 40 MB), so a
 * truncated or damaged copy is replaced rather than loaded. The check guards against accidents, not attacks:
 * whoever can write the user's cache can already change what the user runs.
 */
final class NativeCache {
    /** Temporary files older than this are leftovers of a JVM that died while extracting. */
    private static final Duration STALE_PART = Duration.ofHours(1);
    private static final String PART_SUFFIX = ".part";

    private NativeCache() {
    }

    /**
     * The directory under {@code cacheRoot} holding intact copies of every file of {@code bundle}, extracting
     * whatever is missing or damaged.
     */
    static Path materialize(BundledOpenBlas bundle, Path cacheRoot) throws IOException {
        Path directory = cacheRoot.resolve(bundle.cacheDirectoryName());
        Files.createDirectories(directory);
        boolean extracted = false;
        for (BundledOpenBlas.Resource resource : bundle.resources()) {
            Path target = directory.resolve(resource.name());
            if (!isIntact(target, resource)) {
                extract(resource, target);
                extracted = true;
            }
        }
        if (extracted) {
            deleteStaleParts(directory);
        }
        return directory;
    }

    /** Whether {@code file} is a regular file with exactly the size and CRC-32 of {@code resource}. */
    static boolean isIntact(Path file, BundledOpenBlas.Resource resource) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != resource.size()) {
            return false;
        }
        CRC32 crc = new CRC32();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer.clear()) > 0) {
                crc.update(buffer.flip());
            }
        }
        return crc.getValue() == resource.crc32();
    }

    private static void extract(BundledOpenBlas.Resource resource, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent(), resource.name() + ".", PART_SUFFIX);
        try {
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream in = resource.url().openStream();
                 FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    crc.update(buffer, 0, n);
                    size += n;
                }
                // On disk before the rename publishes it, so a crash cannot leave an empty file under the final name.
                channel.force(true);
            }
            if (size != resource.size() || crc.getValue() != resource.crc32()) {
                throw new IOException(resource.url() + " read back as " + size + " bytes with CRC-32 "
                        + Long.toHexString(crc.getValue()) + ", but the jar records " + resource.size()
                        + " bytes with CRC-32 " + Long.toHexString(resource.crc32()) + "; the jar may be damaged");
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + target.getParent()
                        + " cannot rename atomically, which safe extraction needs; choose another cache directory", e);
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void deleteStaleParts(Path directory) {
        Instant cutoff = Instant.now().minus(STALE_PART);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, "*" + PART_SUFFIX)) {
            for (Path part : parts) {
                FileTime modified = Files.getLastModifiedTime(part);
                if (modified.toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException ignored) {
            // Housekeeping only: a leftover temporary file costs disk space, never correctness.
        }
    }
}
