package dev.wsvd;

import dev.wsvd.EvaluationException;
import dev.wsvd.Evaluator;
import dev.wsvd.ModelSource;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.tensor.Tensor;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cheap, deterministic evaluator for tests where the evaluator is not the point: a candidate (the original
 * with one weight replaced) scores {@code 1 - ||W_r - W||_F / ||W||_F} for its replaced weight, computed here
 * from the stored weights; any other model (the original, the compressed one) scores 1. Counts its calls and
 * can fail after a given number of candidate calls, to interrupt a sweep.
 */
final class WeightFidelityEvaluator implements CandidateAware {
    private final Map<String, float[]> originals = new HashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger candidateCalls = new AtomicInteger();
    private final int failAfterCandidates;
    private final boolean concurrent;

    private WeightFidelityEvaluator(Map<String, float[]> originals, int failAfterCandidates, boolean concurrent) {
        this.originals.putAll(originals);
        this.failAfterCandidates = failAfterCandidates;
        this.concurrent = concurrent;
    }

    /** An evaluator for the weights of {@code model}'s compressible layers, as stored. */
    static WeightFidelityEvaluator of(ModelSource.InMemory model, int failAfterCandidates, boolean concurrent) throws IOException {
        Map<String, float[]> weights = new HashMap<>();
        try (OnnxModel onnx = OnnxModel.read(model.bytes())) {
            for (OnnxLayer layer : onnx.layers()) {
                if (layer.isCompressible()) {
                    try (Tensor weight = onnx.weight(layer)) {
                        weights.put(layer.weightName(), storedOrder(layer, weight));
                    }
                }
            }
        }
        return new WeightFidelityEvaluator(weights, failAfterCandidates, concurrent);
    }

    /** The reference-layout weight back in the stored order (a MatMul stores in x out). */
    private static float[] storedOrder(OnnxLayer layer, Tensor reference) {
        if (!layer.opType().equals("MatMul")) {
            return reference.toFloatArray();
        }
        try (Tensor stored = reference.transpose()) {
            return stored.toFloatArray();
        }
    }

    static WeightFidelityEvaluator of(ModelSource.InMemory model) throws IOException {
        return of(model, Integer.MAX_VALUE, true);
    }

    @Override
    public Score evaluate(ModelSource model) throws EvaluationException {
        calls.incrementAndGet();
        if (!(model instanceof CandidateSource candidate)) {
            return Score.of(1.0);
        }
        if (candidateCalls.incrementAndGet() > failAfterCandidates) {
            throw new EvaluationException("test evaluator stops after " + failAfterCandidates + " candidates");
        }
        double score = 1.0;
        for (Map.Entry<String, Tensor> replaced : candidate.initializers().entrySet()) {
            float[] original = originals.get(replaced.getKey());
            float[] approximation = replaced.getValue().toFloatArray();
            double difference = 0;
            double norm = 0;
            for (int i = 0; i < original.length; i++) {
                double d = approximation[i] - original[i];
                difference += d * d;
                norm += (double) original[i] * original[i];
            }
            score -= Math.sqrt(difference / norm);
        }
        return Score.of(score);
    }

    @Override
    public boolean supportsConcurrentEvaluation() {
        return concurrent;
    }
}
