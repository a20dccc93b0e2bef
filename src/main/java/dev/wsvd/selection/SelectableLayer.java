package dev.wsvd.selection;

import java.math.BigDecimal;

/**
 * What greedy selection needs to know about one compressible layer; the layer/cost-model code
 * implements it.
 *
 * <p>Costs are in whichever metric the run uses (MACs or memory); all layers of one selection must use
 * the same one. Ratios are exact decimals (see {@link CandidateRatios}) because the reference maps a
 * ratio to a rank with exact {@code Decimal} arithmetic, where a binary {@code double} could land one
 * rank off at an exact boundary.
 */
public interface SelectableLayer {

    /** Unique layer name; the key in {@link EvalScores}. */
    String name();

    /** Cost of the unsplit layer. */
    long originalCost();

    /**
     * Cost of the split pair at the rank that {@code ratio} maps to, including the layer's rank rounding.
     * Selection only calls this with ratios that {@link #roundedRatio} returned.
     */
    long compressedCost(BigDecimal ratio);

    /**
     * The ratio after rounding the rank to the layer's multiplicity (reference step 5): must satisfy
     * {@code ratio <= roundedRatio(ratio) <= 1}, since rounding only moves the rank up. The identity when
     * the multiplicity is 1.
     */
    BigDecimal roundedRatio(BigDecimal ratio);
}
