package dev.wsvd.selection;

import java.util.ArrayList;
import java.util.List;

/**
 * Reference step 8: binary search over the score threshold (not over the ratio) until the model ratio is
 * within 0.001 of the target or the score window has shrunk to 1e-4 of its initial width.
 *
 * <p>Per iteration: mid = mean(low, high); ρ = model ratio at mid; stop if isclose(low, high, abs_tol=eps)
 * choosing low, else stop if isclose(ρ, target, abs_tol=0.001) choosing mid; else high = mid when
 * ρ &gt; target (not enough compression), low = mid otherwise. {@code isclose} is Python's, with its default
 * relative tolerance 1e-9 as well.
 */
final class ThresholdSearch {

    /** Where the search ended. */
    record Result(double threshold, SearchOutcome outcome, List<SearchStep> steps) {
    }

    /** |ρ − target| at or below this counts as reached: the reference's {@code abs_tol=0.001}. */
    static final double RATIO_TOLERANCE = 0.001;
    /** Window width that ends the search, as a fraction of the initial score range. */
    static final double WINDOW_FRACTION = 0.0001;

    private ThresholdSearch() {
    }

    static Result run(CostTable table, double target) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (CostTable.Entry e : table.entries()) {
            for (RatioScore p : e.decreasing()) {
                low = Math.min(low, p.score());
                high = Math.max(high, p.score());
            }
        }
        double exitWidth = (high - low) * WINDOW_FRACTION;
        List<SearchStep> steps = new ArrayList<>();
        // Each pass halves the window, so it closes after about log2(1e4) ≈ 14 passes; the bound only guards
        // against a tolerance that rounding could make unreachable.
        for (int pass = 0; pass < 2000; pass++) {
            double mid = PyFloat.mean(high, low);
            double ratio = table.modelRatio(mid);
            steps.add(new SearchStep(low, high, mid, ratio));
            if (PyFloat.isClose(low, high, exitWidth)) {
                return new Result(low, SearchOutcome.WINDOW_CLOSED, List.copyOf(steps));
            }
            if (PyFloat.isClose(ratio, target, RATIO_TOLERANCE)) {
                return new Result(mid, SearchOutcome.TARGET_MET, List.copyOf(steps));
            }
            if (ratio > target) {
                high = mid;
            } else {
                low = mid;
            }
        }
        throw new IllegalStateException("threshold search did not settle; window [" + low + ", " + high + "]");
    }
}
