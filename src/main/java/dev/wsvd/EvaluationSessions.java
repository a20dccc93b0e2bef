package dev.wsvd;

import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.SessionModel;
import dev.wsvd.runtime.SessionSettings;

import java.util.Objects;

/**
 * What the built-in evaluators share: every evaluation opens its own session (or, for a candidate of auto mode's
 * sweep, borrows one of the sweep's sessions, see {@link SweepSessions}), with the evaluator's settings
 * and a thread budget, while it holds a use of the evaluator's prepared inputs (see {@link UseGuard}). So
 * evaluations may run in parallel, and closing the evaluator waits for running ones and makes later ones fail.
 * ONNX Runtime's failures reach the caller as {@link EvaluationException}s naming the model.
 */
final class EvaluationSessions {
    private final SessionSettings settings;
    private final UseGuard guard;

    /** What an evaluation does with its session. */
    @FunctionalInterface
    interface Work<T> {
        T apply(ModelSession session) throws SessionException;
    }

    /** @param owner how messages name the evaluator, e.g. {@code this EmbeddingFidelity} */
    EvaluationSessions(String owner, SessionSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.guard = new UseGuard(owner);
    }

    /**
     * The budget a caller of {@link Evaluator#evaluate(ModelSource, int)} gave.
     *
     * @throws IllegalArgumentException if it is below 1
     */
    static int requireThreadBudget(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a thread budget must be at least 1, got " + threads);
        }
        return threads;
    }

    /** Runs {@code work} on a new session for {@code model} with the settings' thread count. */
    <T> T run(ModelSource model, Work<T> work) throws EvaluationException {
        return run(model, settings.intraOpThreads(), work);
    }

    /**
     * Runs {@code work} on a new session for {@code model} with {@code threads} intra-op threads, closed after.
     *
     * @throws IllegalStateException if the evaluator was closed
     */
    <T> T run(ModelSource model, int threads, Work<T> work) throws EvaluationException {
        Objects.requireNonNull(model, "model");
        try (UseGuard.Use _ = guard.enter()) {
            if (model instanceof CandidateSource candidate && candidate.sweep() != null
                    && candidate.sweep().covers(candidate.initializers().keySet())) {
                try {
                    return candidate.sweep().run(candidate.initializers(), candidate.description(), settings, threads, work);
                } catch (SessionException e) {
                    if (candidate.sweep().covers(candidate.initializers().keySet())) {
                        throw e;
                    }
                    // the model copy with weights as inputs could not be opened: a session of its own, as before
                }
            }
            try (ModelSession session = ModelSession.open(sessionModel(model), settings, threads)) {
                return work.apply(session);
            }
        } catch (SessionException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
    }

    /**
     * The latency of {@code work} (one pass over the evaluator's inputs) on a session for {@code model} with
     * {@code threads} intra-op threads, opened once before the timing ({@link LatencyMeter}).
     */
    Latency latency(ModelSource model, int threads, Work<?> work) throws EvaluationException {
        Objects.requireNonNull(model, "model");
        try (UseGuard.Use _ = guard.enter();
             ModelSession session = ModelSession.open(sessionModel(model), settings, requireThreadBudget(threads))) {
            return LatencyMeter.measure(() -> work.apply(session));
        } catch (SessionException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
    }

    /**
     * Fails as {@link #run} does once the evaluator is closed: for answers computed without a session.
     *
     * @throws IllegalStateException if the evaluator was closed
     */
    void requireOpen() {
        try (UseGuard.Use _ = guard.enter()) {
            // entering is the check
        }
    }

    /** Runs {@code release} (freeing the prepared inputs) once no evaluation is running; later calls do nothing. */
    void close(Runnable release) {
        guard.close(release);
    }

    /** What ONNX Runtime opens for {@code model}. */
    static SessionModel sessionModel(ModelSource model) {
        return switch (model) {
            case ModelSource.InMemory memory -> SessionModel.inMemory(memory.bytes(), memory.description());
            case ModelSource.OnDisk file -> SessionModel.onDisk(file.path());
            case CandidateSource candidate -> sessionModel(candidate.base()).withInitializers(candidate.initializers(),
                    candidate.description());
        };
    }
}
