package dev.wsvd.json;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A JSON document wsvd cannot read back: not JSON, another format or version, a field missing or of the wrong type,
 * or a value its reader refuses. The message names the file, the field and what is wrong.
 */
public final class MalformedDocumentException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** {@code file} has {@code problem}. */
    public MalformedDocumentException(Path file, String problem) {
        this(file, problem, null);
    }

    /** {@code file} has {@code problem}, found by {@code cause}. */
    public MalformedDocumentException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
