package dev.wsvd;

import dev.wsvd.CompressionStats.ScoreSets;

/**
 * An evaluator with two disjoint data sets: the search data its {@link #evaluate} scores (what auto mode's
 * candidates and probes are ranked by) and a held-out set, never searched on, for the scores a run reports (the
 * original's and the compressed model's). Without it the reported score is the one the search optimised, which
 * flatters the result. The built-in evaluators implement it; any other evaluator is scored on its one data set,
 * and the statistics say so ({@link ScoreSets#shared()}).
 */
interface HeldOutScoring extends Evaluator {

    /** Whether this evaluator has held-out data (a built-in one can be built without). */
    boolean hasHeldOut();

    /** The score of {@code model} on the held-out data, with at most {@code threads} compute threads. */
    Score evaluateHeldOut(ModelSource model, int threads) throws EvaluationException;

    /** The search data in words, with its size. */
    String searchData();

    /** The held-out data in words, with its size. */
    String heldOutData();
}
