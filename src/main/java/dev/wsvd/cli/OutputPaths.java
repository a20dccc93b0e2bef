package dev.wsvd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks every verb makes on its output paths before any work, with the same messages and exit code (1): an
 * output that is a folder, in a folder that does not exist or cannot be written, or that is the input file. A
 * typo in an output path then costs no decomposition or evaluation, and leaves nothing half-written.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** An output path that cannot be used: printed as is (exit code 1). */
    static final class Unusable extends IOException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    /**
     * @param input the file the verb reads, or null (a class-path model), which the output must not be
     */
    static void check(Path output, Path input) throws IOException {
        if (Files.isDirectory(output)) {
            throw new Unusable("cannot write " + output + ": it is a folder; name a file in it");
        }
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

    static boolean sameFile(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
