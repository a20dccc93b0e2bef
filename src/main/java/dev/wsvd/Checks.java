package dev.wsvd;

/** Precondition checks shared by the statistics records; messages name the field and the value. */
final class Checks {
    private Checks() {
    }

    static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-blank string, got " + (value == null ? "null" : "\"" + value + "\""));
        }
        return value;
    }

    static double requireFinite(double value, String field) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + value);
        }
        return value;
    }

    /** A compression ratio: compressed cost over original cost, in (0, 1]. */
    static double requireRatio(double value, String field) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be a ratio in (0, 1], got " + value);
        }
        return value;
    }

    static long requirePositive(long value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
        return value;
    }

    static long requireNonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
        return value;
    }
}
