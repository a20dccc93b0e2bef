package dev.wsvd;

/**
 * An evaluator that opens a {@link CandidateSource} itself (the original bytes with a weight replaced when the
 * session opens), so auto mode need not serialize a model per candidate. The built-in evaluators are; any other
 * evaluator receives candidates serialized, as files or bytes it can hand to any runtime.
 */
interface CandidateAware extends Evaluator {
}
