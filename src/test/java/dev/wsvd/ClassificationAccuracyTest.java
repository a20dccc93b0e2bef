package dev.wsvd;

import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationAccuracyTest {
    private static final String FASHION_MNIST_CNN = ClassificationAccuracy.FASHION_MNIST_CNN;
    private static final int FEATURES = 4;
    private static final int CLASSES = 3;
    /** Logits are the first three features: class k wins when feature k is the largest of them. */
    private static final float[] SELECT_FIRST_THREE = {
            1, 0, 0,
            0, 1, 0,
            0, 0, 1,
            0, 0, 0};

    /** x [batch, 4] -> MatMul W [4, 3] -> logits [batch, 3], with a dynamic batch. */
    private static TinyOnnx linearClassifier(Object batch, float[] weights) {
        return TinyOnnx.graph()
                .input("x", batch, FEATURES)
                .initializer("W", weights, FEATURES, CLASSES)
                .node("MatMul", List.of("x", "W"), List.of("logits"))
                .output("logits", batch, CLASSES);
    }

    /** Ten samples, each one-hot at feature (i % 3); labels agree with that class for exactly 7 of them. */
    private static LabelledImages sevenOfTenCorrect() {
        float[] values = new float[10 * FEATURES];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            int winner = i % CLASSES;
            values[i * FEATURES + winner] = 1f;
            values[i * FEATURES + 3] = 5f; // the fourth feature is ignored by the model; it must not matter
            labels[i] = i < 7 ? winner : (winner + 1) % CLASSES;
        }
        return new LabelledImages(Shape.of(10, FEATURES), values, labels);
    }

    @Test
    void theShippedCnnIsRight912TimesOnTheSlice() throws Exception {
        // 912 / 1000: PyTorch, the NumPy check of the ONNX file and ONNX Runtime all agree (model card).
        ModelSource model = ModelSource.fromResource(FASHION_MNIST_CNN);
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(FashionMnist.testSlice()).build()) {
            long start = System.nanoTime();
            assertEquals(0.912, accuracy.evaluate(model).value(), 0.0);
            long second = System.nanoTime();
            assertEquals(0.912, accuracy.evaluate(model).value(), 0.0);
            System.out.printf("Fashion-MNIST CNN on 1000 images: first evaluation %.0f ms (builds the input tensors),"
                    + " second %.0f ms (session included)%n", (second - start) / 1e6, (System.nanoTime() - second) / 1e6);
            try (Tensor zeros = Tensor.allocate(DType.F32, Shape.of(32, 1, 5, 5))) {
                // Without conv1 every image looks the same to the rest of the network: one class for all.
                double blind = accuracy.evaluate(new CandidateSource(model, Map.of("conv1.weight", zeros))).value();
                assertTrue(blind <= 0.115, "a constant prediction is right at most for the largest class (115 of 1000): " + blind);
            }
        }
    }

    @Test
    void accuracyOfAConstructedSetIsExactlySevenTenths() throws Exception {
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(sevenOfTenCorrect()).batchSize(3).build()) {
            assertEquals(0.7, accuracy.evaluate(linearClassifier("batch", SELECT_FIRST_THREE).toSource()).value(), 0.0);
        }
    }

    @Test
    void matchesABruteForceArgmaxOnRandomData() throws Exception {
        Random random = new Random(7);
        float[] weights = new float[FEATURES * CLASSES];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        LabelledImages data = randomSet(random, 203);
        double expected = referenceAccuracy(data, weights);
        assertTrue(expected > 0.2 && expected < 0.6, "random labels against a random classifier: about a third right, got " + expected);
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(data).batchSize(64).build()) {
            // 203 = 3 full batches of 64 and a short one of 11, all counted
            assertEquals(expected, accuracy.evaluate(linearClassifier("batch", weights).toSource()).value(), 0.0);
        }
    }

    @Test
    void feedsOneSampleAtATimeWhenTheBatchIsFixedToOneAndReshapesSamples() throws Exception {
        Random random = new Random(11);
        float[] weights = randomWeights(random);
        LabelledImages flat = randomSet(random, 25);
        // The model takes images 1 x 1 x 2 x 2 and flattens them; the data holds 2 x 2 samples.
        LabelledImages images = flat.withSampleShape(Shape.of(2, 2));
        ModelSource model = TinyOnnx.graph()
                .input("image", 1, 1, 2, 2)
                .node("Flatten", List.of("image"), List.of("flat"), "axis", 1)
                .initializer("W", weights, FEATURES, CLASSES)
                .node("MatMul", List.of("flat", "W"), List.of("logits"))
                .output("logits", 1, CLASSES)
                .toSource();
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(images).batchSize(16).build()) {
            assertEquals(referenceAccuracy(flat, weights), accuracy.evaluate(model).value(), 0.0);
        }
    }

    @Test
    void padsTheLastBatchOfAFixedBatchSizeAndIgnoresThePadding() throws Exception {
        Random random = new Random(13);
        float[] weights = randomWeights(random);
        LabelledImages data = randomSet(random, 10); // batches of 4: 4 + 4 + 2 real rows and 2 padding rows
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(data).build()) {
            assertEquals(referenceAccuracy(data, weights), accuracy.evaluate(linearClassifier(4, weights).toSource()).value(), 0.0);
        }
    }

    @Test
    void namedOutputIsUsedAndAmbiguityIsReported() throws Exception {
        float[] reversed = {
                0, 0, 1,
                0, 1, 0,
                1, 0, 0,
                0, 0, 0};
        ModelSource twoHeads = TinyOnnx.graph()
                .input("x", "batch", FEATURES)
                .initializer("A", SELECT_FIRST_THREE, FEATURES, CLASSES)
                .initializer("B", reversed, FEATURES, CLASSES)
                .node("MatMul", List.of("x", "A"), List.of("right"))
                .node("MatMul", List.of("x", "B"), List.of("wrong"))
                .output("wrong", "batch", CLASSES)
                .output("right", "batch", CLASSES)
                .toSource();
        LabelledImages data = sevenOfTenCorrect();
        try (ClassificationAccuracy right = ClassificationAccuracy.builder(data).outputName("right").build();
             ClassificationAccuracy wrong = ClassificationAccuracy.builder(data).outputName("wrong").build();
             ClassificationAccuracy unnamed = ClassificationAccuracy.builder(data).build()) {
            assertEquals(0.7, right.evaluate(twoHeads).value(), 0.0);
            assertEquals(referenceAccuracy(data, reversed), wrong.evaluate(twoHeads).value(), 0.0);
            EvaluationException e = assertThrows(EvaluationException.class, () -> unnamed.evaluate(twoHeads));
            assertTrue(e.getMessage().contains("wrong") && e.getMessage().contains("right") && e.getMessage().contains("outputName"),
                    e.getMessage());
        }
    }

    @Test
    void replacedInitializerChangesTheScoreAsTheNewWeightsPredict() throws Exception {
        Random random = new Random(17);
        float[] original = randomWeights(random);
        float[] replacement = randomWeights(random);
        LabelledImages data = randomSet(random, 150);
        ModelSource model = linearClassifier("batch", original).toSource();
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(data).build();
             Tensor newWeights = Tensor.ofFloats(Shape.of(FEATURES, CLASSES), replacement)) {
            double before = accuracy.evaluate(model).value();
            double after = accuracy.evaluate(new CandidateSource(model, Map.of("W", newWeights))).value();
            assertEquals(referenceAccuracy(data, original), before, 0.0);
            assertEquals(referenceAccuracy(data, replacement), after, 0.0);
            assertTrue(before != after, "the two random classifiers should disagree somewhere on 150 samples");
        }
    }

    @Test
    void readsTheModelFromAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("classifier.onnx");
        Files.write(file, linearClassifier("batch", SELECT_FIRST_THREE).toBytes());
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(sevenOfTenCorrect()).build()) {
            assertEquals(0.7, accuracy.evaluate(ModelSource.of(file)).value(), 0.0);
            EvaluationException missing = assertThrows(EvaluationException.class,
                    () -> accuracy.evaluate(ModelSource.of(dir.resolve("absent.onnx"))));
            assertTrue(missing.getMessage().contains("absent.onnx"), missing.getMessage());
        }
    }

    @Test
    void badModelsAndDataGiveMessagesNamingTheProblem() throws Exception {
        LabelledImages data = sevenOfTenCorrect();
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(data).build()) {
            EvaluationException garbage = assertThrows(EvaluationException.class,
                    () -> accuracy.evaluate(ModelSource.of(new byte[] {1, 2, 3, 4, 5})));
            assertTrue(garbage.getMessage().contains("in-memory model (5 bytes)"), garbage.getMessage());

            ModelSource wideInput = TinyOnnx.graph()
                    .input("x", "batch", 6)
                    .initializer("W", new float[6 * CLASSES], 6, CLASSES)
                    .node("MatMul", List.of("x", "W"), List.of("logits"))
                    .output("logits", "batch", CLASSES)
                    .toSource();
            EvaluationException shape = assertThrows(EvaluationException.class, () -> accuracy.evaluate(wideInput));
            assertTrue(shape.getMessage().contains("input x") && shape.getMessage().contains("4 values"), shape.getMessage());
        }
        int[] labels = data.labels();
        labels[2] = CLASSES; // one past the model's last class
        LabelledImages outOfRange = new LabelledImages(data.shape(), data.values(), labels);
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(outOfRange).build()) {
            EvaluationException label = assertThrows(EvaluationException.class,
                    () -> accuracy.evaluate(linearClassifier("batch", SELECT_FIRST_THREE).toSource()));
            assertTrue(label.getMessage().contains("label 3 of sample 2"), label.getMessage());
        }
    }

    @Test
    void repeatedAndConcurrentEvaluationsAgreeAndCloseEverySession() throws Exception {
        Random random = new Random(19);
        float[] weights = randomWeights(random);
        LabelledImages data = randomSet(random, 300);
        double expected = referenceAccuracy(data, weights);
        ModelSource model = linearClassifier("batch", weights).toSource();
        int openBefore = ModelSession.openCount();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(data).batchSize(50).build()) {
            assertTrue(accuracy.supportsConcurrentEvaluation());
            List<Future<Double>> scores = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                scores.add(pool.submit(() -> accuracy.evaluate(model, 1).value()));
            }
            for (Future<Double> score : scores) {
                assertEquals(expected, score.get(), 0.0);
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(openBefore, ModelSession.openCount(), "every session opened by an evaluation is closed");
    }

    @Test
    void evaluatingAfterCloseFailsLoudly() {
        ClassificationAccuracy accuracy = ClassificationAccuracy.builder(sevenOfTenCorrect()).build();
        accuracy.close();
        accuracy.close(); // idempotent
        assertThrows(IllegalStateException.class,
                () -> accuracy.evaluate(linearClassifier("batch", SELECT_FIRST_THREE).toSource()));
    }

    private static float[] randomWeights(Random random) {
        float[] weights = new float[FEATURES * CLASSES];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        return weights;
    }

    private static LabelledImages randomSet(Random random, int count) {
        float[] values = new float[count * FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        return new LabelledImages(Shape.of(count, FEATURES), values, labels);
    }

    /** Top-1 accuracy of x -> x W computed directly, in double precision. */
    private static double referenceAccuracy(LabelledImages data, float[] weights) {
        float[] x = data.values();
        int correct = 0;
        for (int sample = 0; sample < data.count(); sample++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < CLASSES; k++) {
                double score = 0;
                for (int f = 0; f < FEATURES; f++) {
                    score += (double) x[sample * FEATURES + f] * weights[f * CLASSES + k];
                }
                if (score > bestScore) {
                    best = k;
                    bestScore = score;
                }
            }
            if (best == data.label(sample)) {
                correct++;
            }
        }
        return (double) correct / data.count();
    }
}
