package dev.wsvd.nativelib;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Checks that a file is a complete 64-bit little-endian ELF shared object for this machine before the dynamic
 * linker sees it. This is not pedantry: the linker maps a library's segments as its headers describe them, so a
 * truncated library makes it touch pages past the end of the file, and the process dies of SIGBUS.
 */
final class ElfFile {
    private static final int ET_DYN = 3;
    private static final int PT_LOAD = 1;
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    private ElfFile() {
    }

    /** Why {@code file} is not a loadable shared library for {@code platform}, or empty if it looks sound. */
    static Optional<String> problem(Path file, Platform platform) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = read(channel, 0, 64);
            if (header.remaining() < 4 || header.getInt(0) != 0x464C457F) { // "\177ELF" read little-endian
                return Optional.of("is not a shared library (no ELF header)");
            }
            if (header.remaining() < 64 || header.get(4) != 2) {
                return Optional.of("is not a 64-bit ELF library, which a 64-bit JVM needs");
            }
            if (header.get(5) != 1) {
                return Optional.of("is a big-endian ELF library; this JVM runs on " + platform);
            }
            int type = Short.toUnsignedInt(header.getShort(16));
            if (type != ET_DYN) {
                return Optional.of("is an ELF file of type " + type + ", not a shared library (type " + ET_DYN + ")");
            }
            int machine = Short.toUnsignedInt(header.getShort(18));
            int expected = expectedMachine(platform);
            if (expected > 0 && machine != expected) {
                return Optional.of("is built for ELF machine " + machine + ", but this JVM runs on " + platform
                        + " (machine " + expected + ")");
            }
            long programHeaders = header.getLong(32);
            long sectionHeaders = header.getLong(40);
            int programHeaderSize = Short.toUnsignedInt(header.getShort(54));
            int programHeaderCount = Short.toUnsignedInt(header.getShort(56));
            int sectionHeaderSize = Short.toUnsignedInt(header.getShort(58));
            int sectionHeaderCount = Short.toUnsignedInt(header.getShort(60));
            long needed = Math.max(programHeaders + (long) programHeaderSize * programHeaderCount,
                    sectionHeaders + (long) sectionHeaderSize * sectionHeaderCount);
            if (needed > size) {
                return truncated(needed, size);
            }
            for (int i = 0; i < programHeaderCount; i++) {
                ByteBuffer segment = read(channel, programHeaders + (long) i * programHeaderSize, 56);
                if (segment.getInt(0) == PT_LOAD) {
                    long end = segment.getLong(8) + segment.getLong(32); // p_offset + p_filesz
                    if (end > size) {
                        return truncated(end, size);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("could not be read: " + e.getMessage());
        }
    }

    private static Optional<String> truncated(long needed, long size) {
        return Optional.of("is truncated: its ELF headers describe at least " + needed + " bytes, but it has " + size);
    }

    private static int expectedMachine(Platform platform) {
        return switch (platform.arch()) {
            case "x86_64" -> EM_X86_64;
            case "arm64" -> EM_AARCH64;
            default -> 0; // not checked
        };
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // keep reading until full or end of file
        }
        return buffer.flip();
    }
}
