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
 * @param base         the original model
 * @param initializers replacement tensors by initializer name, borrowed: open while this source is evaluated
 */
record CandidateSource(ModelSource base, Map<String, Tensor> initializers) implements ModelSource {

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
