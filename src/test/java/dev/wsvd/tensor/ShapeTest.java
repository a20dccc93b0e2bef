package dev.wsvd.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void sizesStridesAndText() {
        Shape shape = Shape.of(64, 3, 7, 7);
        assertEquals(4, shape.rank());
        assertEquals(64 * 3 * 7 * 7, shape.size());
        assertEquals(3 * 7 * 7, shape.stride(0));
        assertEquals(7, shape.stride(2));
        assertEquals(1, shape.stride(3));
        assertEquals("64x3x7x7", shape.toString());
        assertEquals(Shape.of(64L, 3L, 7L, 7L), shape);
        assertEquals(Shape.of(64L, 3L, 7L, 7L).hashCode(), shape.hashCode());
        assertNotEquals(Shape.of(64, 3, 49), shape);
        assertEquals(Shape.of(5, 3, 7, 7), shape.withFirst(5));
        assertEquals(1, Shape.of().size());
        assertEquals(0, Shape.of(4, 0, 2).size());
    }

    @Test
    void isImmutable() {
        long[] dims = {2, 3};
        Shape shape = Shape.of(dims);
        dims[0] = 9;
        assertEquals(2, shape.dim(0));
        shape.toArray()[1] = 9;
        assertArrayEquals(new long[] {2, 3}, shape.toArray());
    }

    @Test
    void rejectsNegativeAndOverflowingDimensions() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertThrows(ArithmeticException.class, () -> Shape.of(1L << 32, 1L << 32));
        assertThrows(ArithmeticException.class, () -> Shape.of(1L << 32).intDim(0));
    }
}
