package dev.wsvd;

import dev.wsvd.CompressionStats.LatencyStats;

/**
 * An evaluator that times its own inference passes, so the latency wsvd reports ({@link LatencyStats}) is measured
 * on the inputs the scores were computed on. The built-in evaluators are; for any other, wsvd times the models on
 * zeros of the given input shapes.
 */
interface TimedEvaluator extends Evaluator {

    /**
     * The latency of one pass of {@code model} over this evaluator's inputs, with {@code threads} intra-op threads,
     * timed as {@link LatencyMeter} does (the session opened once, outside the timing).
     *
     * @throws EvaluationException if the model cannot be run
     */
    Latency latency(ModelSource model, int threads) throws EvaluationException;

    /** What one timed pass computes, for the report: {@code 128 sentences, ... (the evaluator's inputs)}. */
    String latencyWorkload();
}
