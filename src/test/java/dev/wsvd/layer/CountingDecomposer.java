package dev.wsvd.layer;

import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.tensor.Tensor;

import java.util.concurrent.atomic.AtomicInteger;

/** The SVD as the split runs it, counted: how tests see that every rank comes from one decomposition per group. */
final class CountingDecomposer implements LayerSvd.Decomposer {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public SvdResult decompose(Tensor matrix) {
        count.incrementAndGet();
        return Svd.thin(matrix);
    }

    int count() {
        return count.get();
    }

    void reset() {
        count.set(0);
    }
}
