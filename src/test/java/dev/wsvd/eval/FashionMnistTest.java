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
