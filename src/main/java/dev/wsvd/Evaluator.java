package dev.wsvd;

/**
 * Scores a model: higher is better. The compressor calls it once for the original model, once per candidate
 * in auto mode (layers x (candidates - 1) times) and once for the compressed model, so implementations prepare
 * their data once and keep each call lean. {@link EmbeddingFidelity} and {@link ClassificationAccuracy} are
 * the built-in ones; any lambda is an evaluator, for instance one that runs an application's own validation:
 * <pre>{@code
 * Evaluator validation = model -> Score.of(myValidationSuite.accuracy(model));
 * }</pre>
 *
 * <p>A model reaches a user's evaluator as a file or as bytes ({@link ModelSource.OnDisk},
 * {@link ModelSource.InMemory}) that any ONNX runtime can open.
 *
 * <p>Concurrency is opt-in: a caller runs evaluations in parallel only when {@link #supportsConcurrentEvaluation()}
 * says so, and then passes each call its share of the cores through {@link #evaluate(ModelSource, int)} so the
 * parallel calls do not oversubscribe them.
 */
@FunctionalInterface
public interface Evaluator {

    /**
     * The score of {@code model}.
     *
     * @throws EvaluationException if the model cannot be scored; the message names the model and the cause
     */
    Score evaluate(ModelSource model) throws EvaluationException;

    /**
     * The score of {@code model}, computed with at most {@code threads} compute threads. A caller that runs
     * {@code k} evaluations at once on {@code c} cores passes {@code max(1, c / k)}. The default ignores the
     * budget, which is right for evaluators that do not spawn threads of their own.
     *
     * @param threads the number of threads this call may keep busy, at least 1
     * @throws EvaluationException if the model cannot be scored
     */
    default Score evaluate(ModelSource model, int threads) throws EvaluationException {
        if (threads < 1) {
            throw new IllegalArgumentException("a thread budget must be at least 1, got " + threads);
        }
        return evaluate(model);
    }

    /**
     * Whether {@link #evaluate} may be called from several threads at once. The default is {@code false}: a
     * lambda may hold state its author never meant to share. The built-in evaluators return {@code true}.
     */
    default boolean supportsConcurrentEvaluation() {
        return false;
    }
}
