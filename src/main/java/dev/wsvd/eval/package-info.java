/**
 * Evaluators: how good is a candidate model? Higher is better.
 *
 * <p>{@link dev.wsvd.Evaluator} is the contract (a functional interface, model to score); a model arrives
 * as a {@link dev.wsvd.ModelSource}: a direct buffer, a file, or either with some initializers replaced.
 * Two evaluators run models with ONNX Runtime:
 * <ul>
 *   <li>{@link dev.wsvd.ClassificationAccuracy}: top-1 accuracy on a {@link dev.wsvd.eval.LabelledImages}
 *       set (read from IDX files with {@link dev.wsvd.eval.IdxFiles});</li>
 *   <li>{@link dev.wsvd.EmbeddingFidelity}: mean cosine between a candidate's and the original's sentence
 *       embeddings, with top-1 retrieval accuracy on sentence pairs alongside; the default sentences are
 *       WordNet 3.1 definitions and examples ({@link dev.wsvd.eval.WordNetGlosses}).</li>
 * </ul>
 *
 * <h2>Wiring into a compressor</h2>
 * Prepare once, evaluate many times: both evaluators build their input tensors (and, for embeddings, the
 * original's embeddings) when built, and each {@code evaluate} opens, runs and closes one session. They are
 * {@linkplain dev.wsvd.Evaluator#supportsConcurrentEvaluation() safe to call in parallel}; a caller that
 * runs {@code k} evaluations at once on {@code c} cores calls {@link dev.wsvd.Evaluator#evaluate(ModelSource, int)}
 * with {@code max(1, c / k)} threads so the sessions do not oversubscribe the cores. Scores are finite: a model
 * whose output is not a number fails with {@link dev.wsvd.EvaluationException} instead of scoring NaN.
 * Evaluators hold native memory: close them.
 */
package dev.wsvd.eval;
