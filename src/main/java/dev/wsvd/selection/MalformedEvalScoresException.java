package dev.wsvd.selection;

import java.io.IOException;
import java.nio.file.Path;

/** A saved eval-scores file that cannot be read back; the message names the file and what is wrong. */
public final class MalformedEvalScoresException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    MalformedEvalScoresException(Path file, String problem) {
        super("eval scores file " + file + ": " + problem);
        this.file = file;
    }

    MalformedEvalScoresException(Path file, String problem, Throwable cause) {
        super("eval scores file " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
