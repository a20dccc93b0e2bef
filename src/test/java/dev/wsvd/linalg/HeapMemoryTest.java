package dev.wsvd.linalg;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tensors over heap memory (a model read from a byte array, {@code Tensor.wrap} of an array segment) handed to
 * the native entry points (issue 10, item 8): each copies what native code reads off the heap and gives the same
 * result as for native memory, instead of an AssertionError from the FFM linker.
 */
class HeapMemoryTest {
    private static Tensor onHeap(DType dtype, int rows, int columns, Random random) {
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        MemorySegment heap = dtype == DType.F64 ? MemorySegment.ofArray(values) : MemorySegment.ofArray(toFloats(values));
        return Tensor.wrap(heap, dtype, Shape.of(rows, columns));
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    @Test
    void svdOfTallAndWideHeapMatrices() {
        Random random = new Random(8);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : new int[][] {{30, 7}, {7, 30}}) {
                Tensor heap = onHeap(dtype, shape[0], shape[1], random);
                assertFalse(heap.segment().isNative());
                try (Tensor copy = heap.copy(); SvdResult fromHeap = Svd.thin(heap); SvdResult fromNative = Svd.thin(copy)) {
                    assertArrayEquals(fromNative.s().toDoubleArray(), fromHeap.s().toDoubleArray(), 0);
                }
            }
        }
    }

    @Test
    void productsOfHeapMatrices() {
        Random random = new Random(9);
        Tensor a = onHeap(DType.F64, 5, 4, random);
        Tensor b = onHeap(DType.F64, 4, 3, random);
        try (Tensor ac = a.copy(); Tensor bc = b.copy(); Tensor expected = Gemm.multiply(ac, bc); Tensor product = Gemm.multiply(a, b)) {
            assertArrayEquals(expected.toDoubleArray(), product.toDoubleArray(), 0);
            Tensor heapTarget = Tensor.wrap(MemorySegment.ofArray(new double[15]), DType.F64, Shape.of(5, 3));
            Gemm.multiplyInto(a, b, heapTarget);
            assertArrayEquals(expected.toDoubleArray(), heapTarget.toDoubleArray(), 0);
        }
    }

    @Test
    void triangularAndGramOfHeapMatrices() {
        Random random = new Random(10);
        Tensor x = onHeap(DType.F64, 6, 3, random);
        double[] lowerValues = {2, 0, 0, 0.5, 3, 0, -1, 0.25, 4};
        Tensor lower = Tensor.wrap(MemorySegment.ofArray(lowerValues), DType.F64, Shape.of(3, 3));
        try (Tensor lc = lower.copy(); Tensor xc = x.copy();
             Tensor expected = Triangular.timesLower(xc, lc); Tensor product = Triangular.timesLower(x, lower);
             Tensor expectedSolve = Triangular.timesLowerInverse(xc, lc); Tensor solve = Triangular.timesLowerInverse(x, lower)) {
            assertArrayEquals(expected.toDoubleArray(), product.toDoubleArray(), 0);
            assertArrayEquals(expectedSolve.toDoubleArray(), solve.toDoubleArray(), 0);
        }
        try (GramAccumulator fromHeap = new GramAccumulator(3); GramAccumulator fromNative = new GramAccumulator(3); Tensor xc = x.copy()) {
            fromHeap.add(x);
            fromNative.add(xc);
            try (Tensor g1 = fromHeap.gram(); Tensor g2 = fromNative.gram()) {
                assertArrayEquals(g2.toDoubleArray(), g1.toDoubleArray(), 0);
            }
        }
    }
}
