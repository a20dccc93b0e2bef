package dev.wsvd.cli;

/**
 * Recognizes the JVM's report of a fault in a mapped file: another process truncated an input (a model, its
 * external data, a weight) while wsvd was reading it through its mapping. The JVM turns the SIGBUS of a Java
 * read into an InternalError with this message; native code never reads a mapping (dev.wsvd.linalg copies first).
 */
final class MappedInputFault {
    private MappedInputFault() {
    }

    static boolean is(Throwable error) {
        return error instanceof InternalError && error.getMessage() != null
                && error.getMessage().contains("fault occurred") && error.getMessage().contains("memory access");
    }

    /** The one-line message for {@code input}. */
    static String message(Object input) {
        return input + " (or a file it refers to) changed while it was being read: it was truncated or rewritten by"
                + " another process. Run again once nothing else writes it";
    }
}
