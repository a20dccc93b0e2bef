package dev.wsvd.tensor;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a valid .npy file, or one holding an array wsvd cannot read. The message names the file. */
final class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
