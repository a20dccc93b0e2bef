package dev.wsvd;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.selection.EvalScores;
import dev.wsvd.selection.GreedyParameters;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scores file records what its scores were measured on and refuses another run's (issue 10, item 12): another
 * model with the same layer names, another evaluator, other candidates. Before, the first only warned and the
 * others were silently reused, giving a worse model with exit 0.
 */
class ScoresProvenanceTest {
    private static ModelSource.InMemory model;
    private static ModelSource.InMemory otherModel;

    @BeforeAll
    static void readModels() throws Exception {
        model = (ModelSource.InMemory) ModelSource.fromResource(ClassificationAccuracy.FASHION_MNIST_CNN);
        ByteBuffer bytes = model.bytes();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        // the same layers, another producer: another file, as a retrained model with the same names would be
        byte[] changed = ModelProto.parseFrom(copy).toBuilder().setProducerName("retrained").build().toByteArray();
        otherModel = (ModelSource.InMemory) ModelSource.of(changed);
    }

    private static void compress(ModelSource.InMemory source, int candidates, Evaluator evaluator, Path scores) throws Exception {
        GreedyParameters greedy = GreedyParameters.target(0.6).withLayersToIgnore("/conv1/Conv").withCandidates(candidates);
        try (CompressionResult _ = TestCompressors.auto(greedy).scoresFile(scores).evaluator(evaluator).build().compress(source)) {
            // only the scores file matters here
        }
    }

    @Test
    void aMismatchIsRefusedNamingTheField(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        compress(model, 4, WeightFidelityEvaluator.of(model), scores);
        assertNotNull(EvalScores.load(scores).provenance(), "the file records its provenance");
        assertEquals(64, EvalScores.load(scores).provenance().modelSha256().length());

        compress(model, 4, WeightFidelityEvaluator.of(model), scores); // the same run resumes

        String candidates = assertThrows(CompressionException.class,
                () -> compress(model, 5, WeightFidelityEvaluator.of(model), scores)).getMessage();
        assertTrue(candidates.contains("the candidates differ (4 in the file, 5 now)") && candidates.contains("delete it to start fresh"),
                candidates);
        String otherModelMessage = assertThrows(CompressionException.class,
                () -> compress(otherModel, 4, WeightFidelityEvaluator.of(otherModel), scores)).getMessage();
        assertTrue(otherModelMessage.contains("the model differs"), otherModelMessage);
        String evaluator = assertThrows(CompressionException.class,
                () -> compress(model, 4, m -> Score.of(1), scores)).getMessage();
        assertTrue(evaluator.contains("the evaluator differs"), evaluator);
    }

    @Test
    void scoresOfAnotherSplitAreRefused(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        compress(model, 4, WeightFidelityEvaluator.of(model), scores);
        float[] images = new float[16 * 28 * 28];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat();
        }
        GreedyParameters greedy = GreedyParameters.target(0.6).withLayersToIgnore("/conv1/Conv").withCandidates(4);
        String split = assertThrows(CompressionException.class, () -> {
            try (CompressionResult _ = TestCompressors.auto(greedy).scoresFile(scores).evaluator(WeightFidelityEvaluator.of(model))
                    .method(Method.DATA_AWARE).calibration(Calibration.of(java.util.List.of(
                            CalibrationInput.ofFloats("input", images, 16, 1, 28, 28)))).build().compress(model)) {
                fail("plain scores were reused for data-aware candidates");
            }
        }).getMessage();
        assertTrue(split.contains("the split differs (plain in the file, data-aware, calibrated on inputs given in memory"), split);
    }

    @Test
    void scoresOfAnotherRankGridAreRefused(@TempDir Path dir) throws Exception {
        Path scores = dir.resolve("scores.json");
        compress(model, 4, WeightFidelityEvaluator.of(model), scores);
        GreedyParameters greedy = GreedyParameters.target(0.6).withLayersToIgnore("/conv1/Conv").withCandidates(4);
        String grid = assertThrows(CompressionException.class, () -> {
            try (CompressionResult _ = TestCompressors.auto(greedy).scoresFile(scores).evaluator(WeightFidelityEvaluator.of(model))
                    .multiplicity(8).build().compress(model)) {
                fail("scores of unrounded candidate ranks were reused for ranks rounded to multiples of 8");
            }
        }).getMessage();
        assertTrue(grid.contains("the split differs (plain in the file, plain, ranks rounded up to multiples of 8 now)"), grid);
    }
}
