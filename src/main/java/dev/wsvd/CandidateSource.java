package dev.wsvd;

import dev.wsvd.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A candidate as the built-in evaluators take it: the original model's bytes or file with some weights
 * replaced when ONNX Runtime opens the session, so nothing is copied or serialized per candidate. User
 * evaluators never see one: the compressor hands them serialized candidates.
 *
 * <p>In auto mode's sweep a candidate also names the sweep's sessions ({@link SweepSessions}): the evaluators then run
 * it on a session that is already open, feeding the replacement as an input, instead of opening one with it.
 *
 * @param base         the original model
 * @param initializers replacement tensors by initializer name, borrowed: open while this source is evaluated
 * @param sweep        the sessions of the sweep this candidate belongs to, or null to open a session for it
 */
record CandidateSource(ModelSource base, Map<String, Tensor> initializers, SweepSessions sweep) implements ModelSource {

    /** A candidate evaluated on a session of its own. */
    CandidateSource(ModelSource base, Map<String, Tensor> initializers) {
        this(base, initializers, null);
    }

    CandidateSource {
        Objects.requireNonNull(base, "base");
        if (base instanceof CandidateSource) {
            throw new IllegalArgumentException("replace the weights of the original model, not of a candidate");
        }
        if (Objects.requireNonNull(initializers, "initializers").isEmpty()) {
            throw new IllegalArgumentException("no initializers to replace in " + base.description());
        }
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
    }

    @Override
    public String description() {
        return base.description() + " with " + initializers.size() + " replaced initializer"
                + (initializers.size() == 1 ? "" : "s") + " " + initializers.keySet();
    }
}
