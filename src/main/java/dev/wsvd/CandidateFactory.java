package dev.wsvd;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.Reconstruction;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.rewrite.LayerRewriter;
import dev.wsvd.tensor.Tensor;

import java.util.Map;

/**
 * Builds the models auto mode evaluates: the original with one layer at one rank, from the layer's one SVD.
 * See {@link WeightSvdCompressor.CandidateModels} for the two ways.
 */
final class CandidateFactory {
    private final OnnxModel model;
    private final ModelSource original;
    private final WeightSvdCompressor.CandidateModels strategy;

    /**
     * @param model     the source model (for rewriting)
     * @param original  its bytes or file as given (for replacing a weight)
     * @param strategy  how candidates should reach the evaluator
     * @param evaluator who scores them: only a {@link CandidateAware} one can open a replaced weight
     */
    CandidateFactory(OnnxModel model, ModelSource original, WeightSvdCompressor.CandidateModels strategy, Evaluator evaluator) {
        this.model = model;
        this.original = original;
        this.strategy = evaluator instanceof CandidateAware ? strategy : WeightSvdCompressor.CandidateModels.REWRITTEN_GRAPH;
    }

    /** A candidate to evaluate, with what it holds; close it after the evaluation. */
    record Candidate(ModelSource source, Tensor replacement) implements AutoCloseable {
        @Override
        public void close() {
            if (replacement != null) {
                replacement.close();
            }
        }
    }

    Candidate build(PlannedLayer layer, LayerSvd svd, int rank) {
        if (strategy == WeightSvdCompressor.CandidateModels.REPLACED_WEIGHT && model.canReplaceWeight(layer.layer())) {
            Tensor stored;
            try (FactorPair pair = svd.factors(rank); Tensor approximation = Reconstruction.weight(svd.geometry(), pair)) {
                stored = model.toStoredLayout(layer.layer(), approximation);
            }
            return new Candidate(new CandidateSource(original, Map.of(layer.layer().weightName(), stored)), stored);
        }
        try (FactorPair pair = svd.factors(rank); OnnxModel rewritten = LayerRewriter.rewrite(model, layer.layer(), pair)) {
            return new Candidate(ModelSource.of(rewritten.toDirectByteBuffer()), null);
        }
    }
}
