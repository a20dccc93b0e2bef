package dev.wsvd;

import dev.wsvd.layer.CostUnit;

import java.util.Locale;

/**
 * What a compression ratio is measured in. Both count the weights of the compressible layers only (no bias),
 * as AIMET does. The lower-case constant name ({@link #id()}) is how the command line, the scores file and
 * report.json spell a metric.
 */
public enum CostMetric {
    /** Multiply-accumulate operations of one forward pass over one sample (batch size 1). */
    MAC(CostUnit.MAC),
    /** Weight parameters (elements of the weight tensors). */
    MEMORY(CostUnit.MEMORY);

    private final CostUnit unit;

    CostMetric(CostUnit unit) {
        this.unit = unit;
    }

    /** The stable lower-case name: {@code mac} or {@code memory}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layer package's unit of this metric: the one place the two meet. */
    CostUnit unit() {
        return unit;
    }
}
