package dev.wsvd;

import dev.wsvd.selection.GreedyParameters;
import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.ClassificationAccuracy;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.ModelSource;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AIMET's two Weight SVD API examples (its {@code code_examples.py}: manual mode with the first conv at 0.5, the
 * second at 0.4 and multiplicity 8; auto mode at target 0.8 with 10 candidates and the first conv ignored),
 * reproduced on the shipped Fashion-MNIST CNN, the same architecture as AIMET's MNIST example, with the real
 * accuracy evaluator on the 1,000-image test slice.
 *
 * <p>Hand figures (MAC metric; model card geometry): conv1 1->32 5x5 at 28x28: original 800·784 = 627,200 MACs,
 * the smallest split (rank 1) costs (1 + 32·25)·784 = 627,984, more than the layer, so it is refused. conv2 32->64
 * 5x5 at 14x14: original 51,200·196 = 10,035,200; at 0.4 the rank is floor(0.4·51,200 / 1,632) = 12, rounded up to
 * 16 (multiplicity 8, under the rank for ratio 1, floor(51,200 / 1,632) = 31): 16·1,632 = 26,112 weights,
 * 5,117,952 MACs. Totals: weights 3,273,504 -> 3,248,416; MACs 13,883,904 -> 8,966,656.
 */
class ReferenceExamplesTest {
    private static ModelSource.InMemory model;
    private static ClassificationAccuracy accuracy;

    @BeforeAll
    static void prepare() throws Exception {
        model = (ModelSource.InMemory) ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
        accuracy = ClassificationAccuracy.builder(FashionMnist.testSlice()).build();
    }

    @AfterAll
    static void close() {
        accuracy.close();
    }

    @Test
    void manualModeExample(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("manual.onnx");
        WeightSvdCompressor compressor = WeightSvdCompressor.builder().layerRatio("/conv1/Conv", 0.5).layerRatio("/conv2/Conv", 0.4)
                .multiplicity(8).evaluator(accuracy).build();
        try (CompressionResult result = compressor.compress(model, output)) {
            CompressionStats stats = result.stats();
            LayerStats conv1 = stats.layer("/conv1/Conv");
            assertEquals(SkipReason.NO_SAVING, ((LayerOutcome.Kept) conv1.outcome()).reason());
            LayerStats conv2 = stats.layer("/conv2/Conv");
            assertEquals(16, conv2.compressed().rank());
            assertEquals(26_112, conv2.paramsAfter());
            assertEquals(5_117_952, conv2.macsAfter());
            assertEquals(16 * 1632 / 51200.0, conv2.compressed().ratio(), 1e-12);
            assertEquals(SkipReason.NO_RATIO_GIVEN, ((LayerOutcome.Kept) stats.layer("/fc1/Gemm").outcome()).reason());
            assertEquals(3_273_504, stats.cost().memoryBefore());
            assertEquals(3_248_416, stats.cost().memoryAfter());
            assertEquals(13_883_904, stats.cost().macsBefore());
            assertEquals(8_966_656, stats.cost().macsAfter());
            assertEquals(0.912, stats.scores().baseline().value(), 1e-9, "912 of 1,000 (model card)");
            assertEquals(stats.scores().compressed().value(), accuracy.evaluate(ModelSource.of(output)).value(), 0.0,
                    "the reported score is the written model's");
            assertEquals(relativeErrorOfWrittenPair(output), conv2.compressed().relativeError(), 1e-5);
        }
    }

    @Test
    void autoModeExample() throws Exception {
        GreedyParameters greedy = GreedyParameters.target(0.8).withCandidates(10).withLayersToIgnore("/conv1/Conv");
        try (CompressionResult result = TestCompressors.auto(greedy).evaluator(accuracy)
                .build().compress(model)) {
            CompressionStats stats = result.stats();
            assertEquals(LayerOutcome.Kept.because(SkipReason.IGNORED), stats.layer("/conv1/Conv").outcome());
            assertEquals(3, stats.evalDictionary().measured().size());
            stats.evalDictionary().measured().values().forEach(curve -> assertEquals(9, curve.size()));
            assertEquals(0.912, stats.evalDictionary().baselineScore(), 1e-9);
            // Target met within 0.001, or the statistics say it was the closest reachable point.
            assertEquals(Math.abs(stats.target().achieved() - 0.8) <= 0.001, stats.target().reached());
            assertEquals(stats.macRatio(), stats.target().achieved(), 1e-15);
            for (LayerStats layer : stats.layers()) {
                if (layer.isCompressed()) {
                    // every split layer scored at or above the threshold at its chosen ratio
                    assertTrue(layer.compressed().ratio() < 1);
                    assertFalse(layer.name().equals("/conv1/Conv"));
                }
            }
            try (ClassificationAccuracy check = ClassificationAccuracy.builder(FashionMnist.testSlice()).build()) {
                assertEquals(stats.scores().compressed().value(), check.evaluate(ModelSource.of(result.toDirectByteBuffer())).value(), 0.0);
            }
        }
    }

    /**
     * ||W - B·A|| / ||W|| for conv2, with W read from the original and A, B from the written model's new
     * initializers, multiplied out here: {@code W_r[o, c, t] = Σ_j B[o, j, t] A[j, c]}.
     */
    private static double relativeErrorOfWrittenPair(Path written) throws Exception {
        try (OnnxModel original = OnnxModel.read(model.bytes()); OnnxModel compressed = OnnxModel.read(written)) {
            float[] w;
            try (Tensor weight = original.weight(original.layer("/conv2/Conv"))) {
                w = weight.toFloatArray();
            }
            float[] a;
            float[] b;
            try (Tensor first = compressed.weight(compressed.layer("/conv2/Conv.0"));
                 Tensor second = compressed.weight(compressed.layer("/conv2/Conv.1"))) {
                assertEquals(16, first.shape().dim(0));
                a = first.toFloatArray();   // 16 x 32 x 1 x 1
                b = second.toFloatArray();  // 64 x 16 x 5 x 5
            }
            int rank = 16;
            int in = 32;
            int out = 64;
            int taps = 25;
            double difference = 0;
            double norm = 0;
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    for (int t = 0; t < taps; t++) {
                        double sum = 0;
                        for (int j = 0; j < rank; j++) {
                            sum += (double) b[(o * rank + j) * taps + t] * a[j * in + c];
                        }
                        double expected = w[(o * in + c) * taps + t];
                        difference += (sum - expected) * (sum - expected);
                        norm += expected * expected;
                    }
                }
            }
            return Math.sqrt(difference / norm);
        }
    }

    @Test
    void anAllLayersRatioReachesEveryLayerThatCanBeSplit() throws Exception {
        try (CompressionResult result = WeightSvdCompressor.builder().ratio(0.5).build().compress(model)) {
            CompressionStats stats = result.stats();
            assertEquals(null, stats.scores(), "no evaluator, no scores");
            // floor(0.5·51,200 / 1,632) = 15; floor(0.5·3,211,264 / 4,160) = 385; floor(0.5·10,240 / 1,034) = 4
            assertEquals(15, stats.layer("/conv2/Conv").compressed().rank());
            assertEquals(385, stats.layer("/fc1/Gemm").compressed().rank());
            assertEquals(4, stats.layer("/fc2/Gemm").compressed().rank());
            assertEquals(SkipReason.NO_SAVING, ((LayerOutcome.Kept) stats.layer("/conv1/Conv").outcome()).reason());
        }
    }
}
