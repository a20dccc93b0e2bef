package dev.wsvd.eval;

import dev.wsvd.tensor.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LabelledImagesTest {
    private static final LabelledImages THREE = new LabelledImages(Shape.of(3, 2, 2),
            new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new int[] {2, 0, 1});

    @Test
    void shapeValuesAndLabelsMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> new LabelledImages(Shape.of(3, 2, 2), new float[11], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> new LabelledImages(Shape.of(3, 2, 2), new float[12], new int[2]));
        assertThrows(IllegalArgumentException.class, () -> new LabelledImages(Shape.of(12), new float[12], new int[12]));
        assertThrows(IllegalArgumentException.class, () -> new LabelledImages(Shape.of(1, 1), new float[1], new int[] {-1}));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        float[] values = new float[4];
        int[] labels = {1};
        LabelledImages set = new LabelledImages(Shape.of(1, 4), values, labels);
        values[0] = 9;
        labels[0] = 7;
        set.values()[1] = 9;
        assertArrayEquals(new float[4], set.values(), 0f);
        assertEquals(1, set.label(0));
    }

    @Test
    void reshapeSliceAndNormalise() {
        LabelledImages flat = THREE.withSampleShape(Shape.of(4));
        assertEquals(Shape.of(3, 4), flat.shape());
        assertArrayEquals(THREE.values(), flat.values(), 0f);
        assertThrows(IllegalArgumentException.class, () -> THREE.withSampleShape(Shape.of(5)));

        LabelledImages firstTwo = THREE.first(2);
        assertEquals(Shape.of(2, 2, 2), firstTwo.shape());
        assertArrayEquals(new int[] {2, 0}, firstTwo.labels());
        assertEquals(7f, firstTwo.values()[7], 0f);

        LabelledImages standardised = THREE.normalized(2f, 4f);
        assertEquals((11f - 2f) / 4f, standardised.values()[11], 0f);
        assertThrows(IllegalArgumentException.class, () -> THREE.normalized(0f, 0f));
        assertEquals(3, THREE.classCount());
        assertEquals(Shape.of(2, 2), THREE.sampleShape());
    }
}
