package dev.wsvd.selection;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The few Python float operations the reference's search relies on, reproduced bit for bit so that
 * the same scores give the same decisions.
 */
final class PyFloat {

    private static final long EXACT_DOUBLE_LIMIT = 1L << 53;

    private PyFloat() {
    }

    /**
     * {@code math.isclose(a, b, abs_tol=absTol)}: note Python's default {@code rel_tol=1e-9} also applies,
     * which matters when scores are large numbers with a narrow spread.
     */
    static boolean isClose(double a, double b, double absTol) {
        if (a == b) {
            return true;
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return false;
        }
        double diff = Math.abs(b - a);
        return diff <= Math.abs(1e-9 * b) || diff <= Math.abs(1e-9 * a) || diff <= absTol;
    }

    /**
     * {@code statistics.mean([a, b])}, which is the correctly rounded midpoint; halving a rounded sum is
     * the same value (halving is exact) unless the sum overflows.
     */
    static double mean(double a, double b) {
        double sum = a + b;
        return Double.isFinite(sum) ? sum / 2 : a / 2 + b / 2;
    }

    /** Python's {@code int / int}: the correctly rounded quotient (exactly so for values up to 2^53). */
    static double trueDivide(long numerator, long denominator) {
        if (Math.abs(numerator) <= EXACT_DOUBLE_LIMIT && Math.abs(denominator) <= EXACT_DOUBLE_LIMIT) {
            return (double) numerator / (double) denominator;
        }
        // Costs past 2^53 do not occur for real models; the 40-digit decimal quotient then rounded to
        // binary can differ from Python's single rounding only in rare double-rounding cases.
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), new MathContext(40)).doubleValue();
    }
}
