package dev.wsvd.eval;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistTest {

    @Test
    void theSliceHasTheDocumentedSizeAndLabels() throws IOException {
        LabelledImages slice = FashionMnist.testSlice();
        assertEquals(Shape.of(1000, 1, 28, 28), slice.shape());
        int[] perClass = new int[10];
        for (int label : slice.labels()) {
            perClass[label]++;
        }
        // Counts from the model card, written by the training script that made the slice.
        assertArrayEquals(new int[] {107, 105, 111, 93, 115, 87, 97, 95, 95, 95}, perClass);
        // First labels from expected-logits-first8.csv.
        assertEquals(9, slice.label(0));
        assertEquals(2, slice.label(1));
        float[] pixels = slice.values();
        for (float p : pixels) {
            assertTrue(p >= 0f && p <= 1f);
        }
    }

    @Test
    void theShippedCnnIsRight912TimesOnTheSlice() throws Exception {
        // 912 / 1000: PyTorch, the NumPy check of the ONNX file and ONNX Runtime all agree (model card).
        ModelSource model = FashionMnist.model();
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.builder(FashionMnist.testSlice()).build()) {
            long start = System.nanoTime();
            assertEquals(0.912, accuracy.evaluate(model), 0.0);
            long second = System.nanoTime();
            assertEquals(0.912, accuracy.evaluate(model), 0.0);
            System.out.printf("Fashion-MNIST CNN on 1000 images: first evaluation %.0f ms (builds the input tensors),"
                    + " second %.0f ms (session included)%n", (second - start) / 1e6, (System.nanoTime() - second) / 1e6);
            try (Tensor zeros = Tensor.allocate(DType.F32, Shape.of(32, 1, 5, 5))) {
                // Without conv1 every image looks the same to the rest of the network: one class for all.
                double blind = accuracy.evaluate(model.withInitializers(Map.of("conv1.weight", zeros)));
                assertTrue(blind <= 0.115, "a constant prediction is right at most for the largest class (115 of 1000): " + blind);
            }
        }
    }

    @Test
    void malformedSlicesAreRejectedByName() throws IOException {
        byte[] good;
        try (InputStream in = FashionMnistTest.class.getResourceAsStream(FashionMnist.TEST_SLICE_RESOURCE)) {
            good = in.readAllBytes();
        }
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertTrue(read(badMagic).getMessage().contains("FMNS"));
        assertTrue(read(Arrays.copyOf(good, good.length - 1)).getMessage().contains("truncated"));
        assertTrue(read(Arrays.copyOf(good, 10)).getMessage().contains("header"));
        assertTrue(read(Arrays.copyOf(good, good.length + 1)).getMessage().contains("after"));
        byte[] badLabel = good.clone();
        badLabel[good.length - 1] = 10;
        assertTrue(read(badLabel).getMessage().contains("label 10 of image 999"));
    }

    private static IOException read(byte[] bytes) {
        return assertThrows(IOException.class, () -> FashionMnist.read(new ByteArrayInputStream(bytes), "test slice"));
    }
}
