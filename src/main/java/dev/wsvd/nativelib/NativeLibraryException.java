package dev.wsvd.nativelib;

import java.util.List;

/**
 * OpenBLAS (with LAPACKE) could not be loaded. The message lists every place that was tried, why each failed,
 * and how to fix it; {@link #attempts()} gives the same list to programs.
 */
public final class NativeLibraryException extends RuntimeException {
    private final List<String> attempts;

    NativeLibraryException(String summary, List<String> attempts, String fix, Throwable cause) {
        super(format(summary, attempts, fix), cause);
        this.attempts = List.copyOf(attempts);
    }

    /** The same failure reported again to a later caller, with this caller's stack and the original root cause. */
    NativeLibraryException(NativeLibraryException first) {
        super(first.getMessage(), first.getCause());
        this.attempts = first.attempts;
    }

    /** Each place tried, in order, with the reason it failed. */
    public List<String> attempts() {
        return attempts;
    }

    private static String format(String summary, List<String> attempts, String fix) {
        StringBuilder message = new StringBuilder(summary);
        if (!attempts.isEmpty()) {
            message.append("\nTried:");
            for (int i = 0; i < attempts.size(); i++) {
                message.append("\n  ").append(i + 1).append(". ").append(attempts.get(i));
            }
        }
        return message.append("\nFix: ").append(fix).toString();
    }
}
