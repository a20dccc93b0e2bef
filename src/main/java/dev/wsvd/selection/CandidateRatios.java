package dev.wsvd.selection;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The compression ratios each layer is evaluated at: {@code (1/N)·i} for {@code i = 1..N-1}.
 *
 * <p>Values are exactly those of the reference, which builds them as
 * {@code (Decimal(1) / Decimal(N)) * i} in Python's default decimal context (28 significant digits,
 * half-even). That is not always {@code i/N} rounded once: for N = 3 the second candidate is
 * {@code 0.6666666666666666666666666666}, not {@code ...667}. Keeping the same digits matters because
 * the cost model turns a ratio into a rank with exact decimal arithmetic, and because the strings are
 * the keys of saved score files. {@link BigDecimal#toString()} prints them the way Python's
 * {@code str(Decimal)} does (including trailing zeros such as {@code 0.50} for N = 4).
 */
public final class CandidateRatios {

    /** Python's default {@code decimal} context: 28 significant digits, ROUND_HALF_EVEN. */
    public static final MathContext PYTHON_DECIMAL = new MathContext(28, RoundingMode.HALF_EVEN);

    private CandidateRatios() {
    }

    /**
     * The N−1 candidates for {@code n} divisions, increasing.
     *
     * @throws IllegalArgumentException if {@code n < 2} (there would be no candidate at all)
     */
    public static List<BigDecimal> of(int n) {
        if (n < 2) {
            throw new IllegalArgumentException(
                    "number of compression-ratio candidates must be at least 2 (giving the ratios i/N for i = 1..N-1), got " + n);
        }
        BigDecimal step = BigDecimal.ONE.divide(BigDecimal.valueOf(n), PYTHON_DECIMAL);
        List<BigDecimal> ratios = new ArrayList<>(n - 1);
        for (int i = 1; i < n; i++) {
            ratios.add(step.multiply(BigDecimal.valueOf(i), PYTHON_DECIMAL));
        }
        return List.copyOf(ratios);
    }
}
