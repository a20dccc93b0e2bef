package dev.wsvd.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks made on an output path before any work, in one place for every entry point (the {@code compress} and
 * {@code factor} commands, {@code WeightSvdCompressor.compress(model, output)} and {@code CompressionResult.writeTo}),
 * with the same messages: an output that is a folder or another non-regular file, in a folder that does not exist or cannot be written, or that
 * is the input file. A typo in an output path then costs no decomposition or evaluation, and leaves nothing
 * half-written.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /** An output path that cannot be used; the message says why and what to do, on one line. */
    public static final class Unusable extends IOException {
        private static final long serialVersionUID = 1L;

        public Unusable(String message) {
            super(message);
        }
    }

    /**
     * @param input the file the output must not be (the one being read), or null
     * @throws Unusable if {@code output} is a folder, its folder does not exist or is not writable, or it is {@code input}
     */
    public static void check(Path output, Path input) throws IOException {
        requireReplaceable(output);
        Path folder = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new Unusable("cannot write " + output + ": the folder " + folder + " does not exist");
        }
        if (!Files.isWritable(folder)) {
            throw new Unusable("cannot write " + output + ": the folder " + folder + " is not writable");
        }
        if (input != null && sameFile(output, input)) {
            throw new Unusable(output + " is the input file; write the output elsewhere (the input is never overwritten)");
        }
    }

    /**
     * Refuses an output that exists but is not a regular file. A folder cannot take a file's place; renaming over
     * {@code /dev/null}, a pipe or a socket replaces the special file itself (as root, the system's {@code /dev/null}
     * became a plain file). {@link AtomicFile} checks again just before its rename.
     *
     * @throws Unusable if {@code output} is a folder or another file that is not a regular one
     */
    public static void requireReplaceable(Path output) throws Unusable {
        if (Files.isDirectory(output)) {
            throw new Unusable("cannot write " + output + ": it is a folder; name a file in it");
        }
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            throw new Unusable("cannot write " + output + ": it is not a regular file (a device, pipe or socket); name a file");
        }
    }

    /** Whether two paths name one file: the same file on disk when both exist, else the same normalized path. */
    public static boolean sameFile(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
