package dev.wsvd;

import dev.wsvd.CompressionStats.ErrorProfile;
import dev.wsvd.CompressionStats.LayerCalibration;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.LabelledImages;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data-aware method end to end: better fidelity than plain where it should be, clear refusals where it cannot run. */
class DataAwareMethodTest {

    /**
     * all-MiniLM-L6-v2, every layer at ratio 0.8: the evaluator scores its 64 default WordNet pairs, which calibration
     * (256 sentences from another seed, any pair sharing a sentence dropped) never sees. Whitening keeps the layers'
     * outputs, so the held-out mean cosine must beat the plain split's by a wide margin. Measured on 2026-12-03: plain
     * 0.657, data-aware 0.887.
     */
    @Test
    void dataAwareBeatsPlainOnSentencesCalibrationNeverSaw() throws Exception {
        try (EmbeddingFidelity fidelity = EmbeddingFidelity.forAllMiniLmL6V2().build()) {
            ModelSource model = fidelity.baseline();
            CompressionStats plain;
            try (CompressionResult result = WeightSvdCompressor.builder().ratio(0.8).evaluator(fidelity).build().compress(model)) {
                plain = result.stats();
            }
            CompressionStats dataAware;
            try (CompressionResult result = WeightSvdCompressor.builder().ratio(0.8).evaluator(fidelity)
                    .method(Method.DATA_AWARE).calibrationSamples(256).build().compress(model)) {
                dataAware = result.stats();
            }
            double plainScore = plain.scores().compressed().value();
            double dataAwareScore = dataAware.scores().compressed().value();
            System.out.printf("MiniLM ratio 0.8, held-out mean cosine: plain %.4f, data-aware %.4f (calibration %s)%n",
                    plainScore, dataAwareScore, dataAware.calibration());
            assertTrue(dataAwareScore > plainScore + 0.1, "data-aware " + dataAwareScore + " vs plain " + plainScore);
            assertEquals(plain.macRatio(), dataAware.macRatio(), 0, "same ranks, same cost");

            assertEquals(Method.PLAIN, plain.method());
            assertNull(plain.calibration());
            assertTrue(plain.layers().stream().allMatch(layer -> layer.calibration() == null));
            assertEquals(Method.DATA_AWARE, dataAware.method());
            assertEquals(256, dataAware.calibration().samples());
            assertTrue(dataAware.calibration().source().contains("none of them scored"), dataAware.calibration().source());
            for (LayerStats layer : dataAware.layers()) {
                LayerCalibration calibration = layer.calibration();
                assertNotNull(calibration, layer.name());
                assertTrue(calibration.isWhitened() && calibration.rows() > 2000, layer.name() + ": " + calibration);
                assertTrue(calibration.outputError() > 0 && calibration.outputError() < 1, layer.name() + ": " + calibration);
            }
            ErrorProfile profile = dataAware.errorProfiles().getFirst();
            assertNotNull(profile.outputError());
            assertEquals(0, profile.outputError()[profile.maxRank() - 1], 1e-6, "full rank reproduces the outputs");
        }
    }

    @Test
    void theCnnCalibratesOnTrainingImagesItsEvaluatorDoesNotScore() throws Exception {
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.fashionMnistTestSlice().limit(200).build();
             CompressionResult result = WeightSvdCompressor.builder().ratio(0.5).ignore("/conv1/Conv", "/fc2/Gemm").evaluator(accuracy)
                     .method(Method.DATA_AWARE).calibrationSamples(100).build()
                     .compress(ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN))) {
            CompressionStats stats = result.stats();
            assertEquals(100, stats.calibration().samples());
            LayerStats conv2 = stats.layer("/conv2/Conv");
            assertEquals(100L * 14 * 14, conv2.calibration().rows(), "conv2 reads 14x14 positions per image");
            assertTrue(stats.scores().compressed().value() > 0.85, "accuracy " + stats.scores().compressed().value());
        }
    }

    @Test
    void badCalibrationInputsFailTheRunNamingTheInput() throws Exception {
        ModelSource cnn = ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
        LabelledImages images = FashionMnist.testSlice().first(4);
        CompressionException missing = assertThrows(CompressionException.class, () -> dataAware(Calibration.of(List.of(
                CalibrationInput.ofFloats("pixels", images.values(), 4, 1, 28, 28)))).compress(cnn));
        assertTrue(missing.getMessage().contains("no values for the model input input"), missing.getMessage());
        CompressionException type = assertThrows(CompressionException.class, () -> dataAware(Calibration.of(List.of(
                CalibrationInput.ofLongs("input", new long[4 * 784], 4, 1, 28, 28)))).compress(cnn));
        assertTrue(type.getMessage().contains("holds int64 values, but the model input input takes float"), type.getMessage());
        float[] nan = images.values().clone();
        nan[784 * 2 + 5] = Float.NaN;
        CompressionException notFinite = assertThrows(CompressionException.class, () -> dataAware(Calibration.of(List.of(
                CalibrationInput.ofFloats("input", nan, 4, 1, 28, 28)))).compress(cnn));
        assertTrue(notFinite.getMessage().contains("holds NaN at sample 2"), notFinite.getMessage());

        CompressionException none = assertThrows(CompressionException.class, () -> WeightSvdCompressor.builder().ratio(0.5)
                .method(Method.DATA_AWARE).build().compress(cnn));
        assertTrue(none.getMessage().contains("there is no evaluator") && none.getMessage().contains("--calibration DIR"),
                none.getMessage());
        IllegalStateException plain = assertThrows(IllegalStateException.class, () -> WeightSvdCompressor.builder().ratio(0.5)
                .calibrationSamples(10).build());
        assertTrue(plain.getMessage().contains("method(Method.DATA_AWARE)"), plain.getMessage());
    }

    private static WeightSvdCompressor dataAware(Calibration calibration) {
        return WeightSvdCompressor.builder().ratio(0.5).method(Method.DATA_AWARE).calibration(calibration).build();
    }
}
