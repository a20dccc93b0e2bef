package dev.wsvd;

import dev.wsvd.selection.GreedyParameters;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.ClassificationAccuracy;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.ModelSource;
import org.junit.jupiter.api.Test;

import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two ways of building a candidate score the same function: the original with the weight replaced by
 * {@code W_r = B·A} at session creation, and the graph rewritten with the split pair. Accuracy on 1,000 images
 * moves in steps of 0.001; float rounding between the two forms may flip an image whose two best logits are
 * within ~1e-6, so entries may differ by a step or two, never more. A replacement that ONNX Runtime ignored
 * would score the original model instead: fc2 at 10% of its MACs (rank 1 of 10 classes) scores far below it.
 */
class CandidateModelsTest {

    @Test
    void replacedWeightsAndRewrittenGraphsScoreAlike() throws Exception {
        ModelSource model = ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
        GreedyParameters greedy = GreedyParameters.target(0.8).withLayersToIgnore("/conv1/Conv", "/fc1/Gemm");
        EvalDictionary replaced;
        EvalDictionary rewritten;
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(FashionMnist.testSlice()).build()) {
            replaced = dictionary(model, greedy, accuracy, WeightSvdCompressor.CandidateModels.REPLACED_WEIGHT);
            rewritten = dictionary(model, greedy, accuracy, WeightSvdCompressor.CandidateModels.REWRITTEN_GRAPH);
        }
        assertEquals(replaced.measured().keySet(), rewritten.measured().keySet());
        for (String layer : replaced.measured().keySet()) {
            SortedMap<Double, Double> a = replaced.measured().get(layer);
            SortedMap<Double, Double> b = rewritten.measured().get(layer);
            assertEquals(a.keySet(), b.keySet());
            a.forEach((ratio, score) -> assertEquals(score, b.get(ratio), 0.0025, layer + " at " + ratio));
        }
        double baseline = replaced.baselineScore();
        assertTrue(replaced.measured().get("/fc2/Gemm").get(0.1) < baseline - 0.3, "the replacement took effect");
        assertTrue(rewritten.measured().get("/fc2/Gemm").get(0.1) < baseline - 0.3);
    }

    private static EvalDictionary dictionary(ModelSource model, GreedyParameters greedy, ClassificationAccuracy accuracy,
                                             WeightSvdCompressor.CandidateModels candidates) throws CompressionException {
        try (CompressionResult result = TestCompressors.auto(greedy).evaluator(accuracy)
                .candidateModels(candidates).build().compress(model)) {
            return result.stats().evalDictionary();
        }
    }
}
