package dev.wsvd.nativelib;

import dev.wsvd.io.AtomicFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Extracts a {@link BundledOpenBlas} into a per-user cache directory, once, safely under concurrency.
 *
 * <p>No lock is needed: a file appears under its final name only through {@link AtomicFile}, after its bytes
 * were verified, so a reader (another thread, another JVM) sees either no file or a complete one. Two writers
 * racing write identical bytes and the last rename wins. Existing files
 * are checked against the jar's size and CRC-32 on every start (a few milliseconds for the 40 MB), so a
 * truncated or damaged copy is replaced rather than loaded. The check guards against accidents, not attacks:
 * whoever can write the user's cache can already change what the user runs.
 */
final class NativeCache {
    /** Temporary files older than this are leftovers of a JVM that died while extracting. */
    private static final Duration STALE_TEMPORARY = Duration.ofHours(1);

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
            AtomicFile.deleteTemporariesOlderThan(directory, STALE_TEMPORARY);
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
            var buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer.clear()) > 0) {
                crc.update(buffer.flip());
            }
        }
        return crc.getValue() == resource.crc32();
    }

    private static void extract(BundledOpenBlas.Resource resource, Path target) throws IOException {
        AtomicFile.write(target, channel -> {
            CRC32 crc = new CRC32();
            long size = 0;
            OutputStream out = Channels.newOutputStream(channel); // not closed: the channel belongs to AtomicFile
            try (InputStream in = resource.url().openStream()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    crc.update(buffer, 0, n);
                    size += n;
                }
            }
            // verified before it is published: a damaged jar must not leave a damaged library under the final name
            if (size != resource.size() || crc.getValue() != resource.crc32()) {
                throw new IOException(resource.url() + " read back as " + size + " bytes with CRC-32 "
                        + Long.toHexString(crc.getValue()) + ", but the jar records " + resource.size()
                        + " bytes with CRC-32 " + Long.toHexString(resource.crc32()) + "; the jar may be damaged");
            }
        });
    }
}
