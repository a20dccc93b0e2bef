package dev.wsvd.eval;

/**
 * Scores a candidate model: higher is better. The compressor calls this once for the original model and once
 * per candidate (in greedy mode, layers x (candidates - 1) times), so implementations prepare their data once
 * and keep each call lean.
 *
 * <p>Any lambda is an evaluator, for instance one that runs an application's own validation:
 * <pre>{@code
 * Evaluator validation = model -> myValidationSuite.score(model);
 * }</pre>
 *
 * <p>Concurrency is opt-in: a caller runs evaluations in parallel only when {@link #supportsConcurrentEvaluation()}
 * says so, and then passes each call its share of the cores through {@link #evaluate(ModelSource, int)} so the
 * parallel calls do not oversubscribe them.
 */
@FunctionalInterface
public interface Evaluator {

    /**
     * The score of {@code model}; higher is better.
     *
     * @throws EvaluationException if the model cannot be scored; the message names the model and the cause
     */
    double evaluate(ModelSource model) throws EvaluationException;

    /**
     * The score of {@code model}, computed with at most {@code threads} compute threads. A caller that runs
     * {@code k} evaluations at once on {@code c} cores passes {@code max(1, c / k)}. The default ignores the
     * budget, which is right for evaluators that do not spawn threads of their own.
     *
     * @param threads the number of threads this call may keep busy, at least 1
     * @throws EvaluationException if the model cannot be scored
     */
    default double evaluate(ModelSource model, int threads) throws EvaluationException {
        EvaluationSessions.requireThreadBudget(threads);
        return evaluate(model);
    }

    /**
     * Whether {@link #evaluate} may be called from several threads at once. The default is {@code false}: a
     * lambda may hold state its author never meant to share. The ONNX Runtime evaluators of this package return
     * {@code true} (each call opens its own session; the prepared inputs are read-only).
     */
    default boolean supportsConcurrentEvaluation() {
        return false;
    }
}
