package dev.wsvd;

import java.util.Objects;

/**
 * Inference latency of the original and the compressed model, measured the same way one after the other in this
 * process with ONNX Runtime: what the MAC ratio promises, checked. See {@link WeightSvdCompressor.Builder#latency(int)}.
 *
 * @param original   the original model's pass time
 * @param compressed the compressed model's pass time
 * @param threads    ONNX Runtime intra-op threads the passes ran with
 * @param workload   what one pass computes, e.g. {@code 128 sentences in 8 batches (the evaluator's inputs)}
 */
public record LatencyStats(Latency original, Latency compressed, int threads, String workload) {
    /** Checks every part is given and the thread count is positive. */
    public LatencyStats {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(compressed, "compressed");
        Objects.requireNonNull(workload, "workload");
        if (threads < 1) {
            throw new IllegalArgumentException("latency threads must be at least 1, got " + threads);
        }
    }

    /** Median original time over median compressed time: above 1 when the compressed model is faster. */
    public double speedup() {
        return compressed.medianMillis() == 0 ? Double.POSITIVE_INFINITY : original.medianMillis() / compressed.medianMillis();
    }
}
