package dev.wsvd;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.Reconstruction;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.WeightInputs;
import dev.wsvd.onnx.rewrite.LayerRewriter;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Builds the models auto mode evaluates: the original with one layer at one rank, from the layer's one SVD.
 * See {@link WeightSvdCompressor.CandidateModels} for the two ways. With replaced weights, the candidates of one
 * sweep share its sessions ({@link SweepSessions}): open the factory for the sweep and close it after.
 */
final class CandidateFactory implements AutoCloseable {
    private final OnnxModel model;
    private final ModelSource original;
    private final WeightSvdCompressor.CandidateModels strategy;
    private final SweepSessions sweep;

    /**
     * @param model     the source model (for rewriting)
     * @param original  its bytes or file as given (for replacing a weight)
     * @param strategy  how candidates should reach the evaluator
     * @param evaluator who scores them: only a {@link CandidateAware} one can open a replaced weight
     * @param layers    the layers whose candidates will be built (their weights become the sweep sessions' inputs)
     * @throws CompressionException if a weight's stored data cannot be read
     */
    CandidateFactory(OnnxModel model, ModelSource original, WeightSvdCompressor.CandidateModels strategy, Evaluator evaluator,
                     List<OnnxLayer> layers) throws CompressionException {
        this.model = model;
        this.original = original;
        this.strategy = evaluator instanceof CandidateAware ? strategy : WeightSvdCompressor.CandidateModels.REWRITTEN_GRAPH;
        List<OnnxLayer> replaceable = layers.stream().filter(model::canReplaceWeight).toList();
        if (this.strategy == WeightSvdCompressor.CandidateModels.REPLACED_WEIGHT && !replaceable.isEmpty()) {
            try {
                this.sweep = new SweepSessions(WeightInputs.of(model, replaceable));
            } catch (OnnxFormatException e) {
                throw new CompressionException(e.getMessage(), e);
            }
        } else {
            this.sweep = null;
        }
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
            return new Candidate(new CandidateSource(original, Map.of(layer.layer().weightName(), stored), sweep), stored);
        }
        try (FactorPair pair = svd.factors(rank); OnnxModel rewritten = LayerRewriter.rewrite(model, layer.layer(), pair)) {
            return new Candidate(ModelSource.of(rewritten.toDirectByteBuffer()), null);
        }
    }

    /** Sessions the sweep opened so far (0 without replaced weights); for tests. */
    int sweepSessionsOpened() {
        return sweep == null ? 0 : sweep.sessionsOpened();
    }

    /** Closes the sweep's sessions; call when no candidate is being evaluated. */
    @Override
    public void close() {
        if (sweep != null) {
            sweep.close();
        }
    }
}
