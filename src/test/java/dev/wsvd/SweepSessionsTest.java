package dev.wsvd;

import dev.wsvd.eval.FashionMnist;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.Reconstruction;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.WeightInputs;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One session per sweep ({@link SweepSessions}: the candidate weights fed as inputs of one session) scores every
 * candidate as a session of its own with the weight replaced at creation does, on both bundled models.
 *
 * <p>The two compute the same function; they may differ in float rounding only, because ONNX Runtime prepacks and
 * fuses constant weights (attention, MatMul+Add) and cannot when a weight is an input. Stated tolerances: mean
 * cosine within 1e-5 (observed differences are around 1e-7); top-1 accuracy on 1,000 images within 0.002 (an image
 * whose two best logits are within rounding may flip; observed: none). A candidate the sweep ignored would score
 * the original instead: the low ranks tested here score far below it.
 */
class SweepSessionsTest {

    @Test
    void fashionMnistCandidatesScoreAsWithASessionEach() throws Exception {
        ModelSource source = ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
        try (OnnxModel model = OnnxModel.read(((ModelSource.InMemory) source).bytes());
             ClassificationAccuracy accuracy = ClassificationAccuracy.builder(FashionMnist.testSlice()).build()) {
            List<OnnxLayer> layers = model.layers().stream().filter(OnnxLayer::isCompressible).toList();
            double baseline = accuracy.evaluate(source).value();
            double lowest = compare(model, source, layers, accuracy, new double[]{0.05, 0.2, 0.5, 0.9}, 0.002);
            assertTrue(lowest < baseline - 0.3, "a rank-1-ish candidate scores far below the original " + baseline + ": " + lowest);
        }
    }

    @Test
    void miniLmCandidatesScoreAsWithASessionEach() throws Exception {
        try (EmbeddingFidelity fidelity = EmbeddingFidelity.forAllMiniLmL6V2().wordNetPairs(8, EmbeddingFidelity.DEFAULT_SEED).build();
             OnnxModel model = OnnxModel.read(((ModelSource.InMemory) fidelity.baseline()).bytes())) {
            InputShapes shapes = InputShapes.parse(List.of("input_ids=1x128", "attention_mask=1x128", "token_type_ids=1x128"));
            List<OnnxLayer> layers = model.layers(shapes).stream().filter(OnnxLayer::isCompressible).toList();
            assertEquals(36, layers.size());
            // every fifth layer: each of the six MatMuls of a block (query, key, value, attention output, intermediate,
            // output) at least once, in blocks 0 to 5, at a tenth of the cost of all 36
            List<OnnxLayer> sample = new ArrayList<>();
            for (int i = 0; i < layers.size(); i += 5) {
                sample.add(layers.get(i));
            }
            double lowest = compare(model, fidelity.baseline(), sample, fidelity, new double[]{0.05}, 1e-5);
            assertTrue(lowest < 0.99, "the replacements took effect: " + lowest);
        }
    }

    /**
     * Scores every layer at each fraction of its full rank both ways and checks they agree within {@code tolerance};
     * returns the lowest score seen.
     */
    private static double compare(OnnxModel model, ModelSource source, List<OnnxLayer> layers, Evaluator evaluator,
                                  double[] rankFractions, double tolerance) throws Exception {
        double lowest = Double.POSITIVE_INFINITY;
        double worst = 0;
        int before = ModelSession.openCount();
        List<String> differences = new ArrayList<>();
        try (SweepSessions sweep = new SweepSessions(WeightInputs.of(model, layers))) {
            for (OnnxLayer layer : layers) {
                try (Tensor weight = model.weight(layer); Tensor bias = model.bias(layer);
                     LayerSvd svd = LayerSvd.decompose(layer.geometry().orElseThrow(), weight, bias)) {
                    for (double fraction : rankFractions) {
                        int rank = Math.max(1, (int) Math.round(fraction * svd.maxRank()));
                        try (FactorPair pair = svd.factors(rank);
                             Tensor approximation = Reconstruction.weight(svd.geometry(), pair);
                             Tensor stored = model.toStoredLayout(layer, approximation)) {
                            Map<String, Tensor> replaced = Map.of(layer.weightName(), stored);
                            double own = evaluator.evaluate(new CandidateSource(source, replaced), 1).value();
                            double shared = evaluator.evaluate(new CandidateSource(source, replaced, sweep), 1).value();
                            worst = Math.max(worst, Math.abs(own - shared));
                            if (Math.abs(own - shared) > tolerance) {
                                differences.add(layer.name() + " rank " + rank + ": " + own + " vs " + shared);
                            }
                            lowest = Math.min(lowest, shared);
                        }
                    }
                }
            }
            assertEquals(1, sweep.sessionsOpened(), "one session served every candidate");
        }
        System.out.printf("%d layers x %d ranks: largest |session each - one session| = %.3g%n", layers.size(),
                rankFractions.length, worst);
        assertTrue(differences.isEmpty(), "scores differ beyond " + tolerance + ": " + differences);
        assertEquals(before, ModelSession.openCount(), "every session was closed");
        return lowest;
    }
}
