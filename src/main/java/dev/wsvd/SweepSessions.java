package dev.wsvd;

import dev.wsvd.onnx.WeightInputs;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.SessionSettings;
import dev.wsvd.tensor.Tensor;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The ONNX Runtime sessions of one auto-mode sweep: opened on a copy of the model whose candidate weights are graph
 * inputs ({@link WeightInputs}), each session serving one evaluation at a time and then the next, so a sweep opens as
 * many sessions as evaluations run at once (one per worker) instead of one per candidate. A candidate runs on a view
 * of a session that feeds its reconstructed weight {@code W_r} in place of the original; the other weights are fed as
 * stored, so the function is the one a session opened with the weight replaced computes.
 *
 * <p>Opening a session over weights fed as inputs can fail where an ordinary one succeeds (an execution provider or
 * operator that wants a constant weight): then {@link #covers} answers false from that point on and the evaluators
 * fall back to a session per candidate, with the same scores, only slower.
 *
 * <p>Thread-safe. Close it after the sweep, when no evaluation runs: it closes every session and the model copy.
 */
final class SweepSessions implements AutoCloseable {
    private final WeightInputs model;
    private final Map<Key, Deque<ModelSession>> idle = new ConcurrentHashMap<>();
    private final List<ModelSession> opened = new ArrayList<>();
    private volatile boolean unusable;
    private boolean closed;

    /** Sessions differ by the settings and threads they were opened with. */
    private record Key(SessionSettings settings, int threads) {
    }

    /** @param model the copy with weights as inputs; owned (closed with this) */
    SweepSessions(WeightInputs model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Whether a candidate replacing {@code weights} runs on these sessions. */
    boolean covers(Set<String> weights) {
        return !unusable && model.originals().keySet().containsAll(weights);
    }

    /**
     * Runs {@code work} on a session (an idle one, or a new one with {@code settings} and {@code threads}) fed with
     * {@code replacements} in place of those weights' originals.
     *
     * @throws SessionException if ONNX Runtime fails; if it could not even open the model copy, {@link #covers}
     *                          answers false afterwards, and the caller may retry the usual way
     */
    <T> T run(Map<String, Tensor> replacements, String description, SessionSettings settings, int threads,
              EvaluationSessions.Work<T> work) throws SessionException {
        Key key = new Key(settings, threads);
        ModelSession session = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (session == null) {
            session = open(key);
        }
        try (ModelSession candidate = session.replacing(replacements, description)) {
            return work.apply(candidate);
        } finally {
            idle.get(key).addFirst(session);
        }
    }

    private ModelSession open(Key key) throws SessionException {
        ModelSession session;
        try {
            session = ModelSession.openWithWeightInputs(model, model.originals(), key.settings(), key.threads());
        } catch (SessionException e) {
            unusable = true;
            throw e;
        }
        synchronized (this) {
            if (closed) {
                session.close();
                throw new IllegalStateException("the sweep's sessions were closed");
            }
            opened.add(session);
        }
        return session;
    }

    /** Sessions opened so far (for tests: one per worker, not one per candidate). */
    synchronized int sessionsOpened() {
        return opened.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        opened.forEach(ModelSession::close);
        model.close();
    }
}
