package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The selection for one candidate layer.
 *
 * @param layer layer name
 * @param ratio the compression ratio to split it at (already rank-rounded), or empty to leave it unsplit
 */
public record LayerRatio(String layer, Optional<BigDecimal> ratio) {

    public LayerRatio {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(ratio, "ratio (use Optional.empty() for no compression)");
    }

    /** Whether the layer is to be split. */
    public boolean compressed() {
        return ratio.isPresent();
    }
}
