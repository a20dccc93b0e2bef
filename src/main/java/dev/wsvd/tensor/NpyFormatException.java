package dev.wsvd.tensor;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a valid .npy file, or one holding an array wsvd cannot read. The message names the file. */
final class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public NpyFormatException(Path file, String problem) {
        super(file + ": " + oneLine(problem));
        this.file = file;
        this.problem = oneLine(problem);
    }

    /**
     * The problem on one line: a damaged header's keys and values are quoted in it, and a control character among
     * them (a newline, a NUL) would otherwise break the one-line message, so each is shown as {@code \xNN}.
     */
    private static String oneLine(String problem) {
        StringBuilder text = new StringBuilder(problem.length());
        problem.chars().forEach(c -> text.append(Character.isISOControl(c) ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return text.toString();
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
