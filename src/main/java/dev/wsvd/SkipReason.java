package dev.wsvd;

import java.util.Locale;

/**
 * Why a candidate layer was left as it was. Reported for every kept layer, so nothing is skipped silently
 * (the reference skips grouped, depthwise and transposed convolutions without a word).
 */
public enum SkipReason {
    /** The user excluded it (ignore list or pattern). */
    IGNORED("ignored"),
    /** Manual mode: no ratio was given for this layer. */
    NO_RATIO_GIVEN("no ratio given"),
    /** Auto mode: at every candidate ratio the score fell below the selected threshold. */
    NOT_SELECTED("not selected"),
    /** A split at the chosen rank would not be cheaper than the original layer. */
    NO_SAVING("would not save"),
    /** A grouped or depthwise convolution, which a rank split does not help. */
    GROUPED_CONV("grouped/depthwise conv"),
    /** Quantized weights (for example behind DequantizeLinear): factoring them would change their meaning. */
    QUANTIZED("quantized"),
    /** An op, layout or weight source the split does not handle (shared or computed weights, transposed convs...). */
    UNSUPPORTED("unsupported");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** Short human text for tables, such as {@code would not save}. */
    public String label() {
        return label;
    }

    /** The stable identifier used in JSON: the constant's name in lower case, such as {@code no_saving}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
