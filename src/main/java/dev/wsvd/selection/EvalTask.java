package dev.wsvd.selection;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One evaluation still to run: split only {@code layer} at {@code ratio} and score the model.
 *
 * @param layer layer name
 * @param ratio candidate ratio
 */
public record EvalTask(String layer, BigDecimal ratio) {

    public EvalTask {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(ratio, "ratio");
    }
}
