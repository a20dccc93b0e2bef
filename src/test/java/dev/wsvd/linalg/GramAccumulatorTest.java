package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static dev.wsvd.linalg.Matrices.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The streamed Gram matrix against a brute-force double sum over the same rows.
 *
 * <p>Tolerance. Each entry {@code G_ij = Σ_k x_ki·x_kj} is a sum of N products computed in F64; whatever the
 * order, its error is at most {@code γ_N·Σ_k |x_ki·x_kj|} with {@code γ_N ≈ N·ε} (Higham, §3.1), and so is the
 * reference's. The tests allow twice that bound, entry by entry. F32 rows are widened exactly and the product of
 * two floats is exact in double, so the same bound holds for them.
 */
class GramAccumulatorTest {
    private static final Random RANDOM = new Random(4242);

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void gramMatchesTheBruteForceSumOfOuterProducts(DType dtype) {
        double[][] rows = gaussian(57, 13, RANDOM);
        try (Tensor batch = toTensor(rows, dtype); GramAccumulator accumulator = new GramAccumulator(13)) {
            accumulator.add(batch);
            try (Tensor gram = accumulator.gram()) {
                assertEquals(Shape.of(13, 13), gram.shape());
                assertEquals(DType.F64, gram.dtype());
                assertWithinSummationBound(toArray(batch), toArray(gram));
            }
            assertEquals(57, accumulator.rows());
        }
    }

    @Test
    void unevenBatchesGiveTheSameGramAsOneBatch() {
        double[][] rows = gaussian(100, 21, RANDOM);
        int[] batchSizes = {1, 7, 0, 33, 2, 57}; // an empty batch among them
        try (GramAccumulator streamed = new GramAccumulator(21); GramAccumulator whole = new GramAccumulator(21)) {
            int from = 0;
            for (int size : batchSizes) {
                try (Tensor batch = batchOf(Arrays.copyOfRange(rows, from, from + size), 21)) {
                    streamed.add(batch);
                }
                from += size;
            }
            assertEquals(100, from);
            try (Tensor all = toTensor(rows, DType.F64)) {
                whole.add(all);
            }
            assertEquals(whole.rows(), streamed.rows());
            try (Tensor g1 = streamed.gram(); Tensor g2 = whole.gram(); Tensor mean1 = streamed.mean();
                 Tensor mean2 = whole.mean()) {
                // Both are within the bound of the exact sum, hence within twice that of each other.
                double[][] exact = bruteForceGram(rows);
                double[][] bound = summationBound(rows);
                for (int i = 0; i < 21; i++) {
                    for (int j = 0; j < 21; j++) {
                        assertEquals(g2.get(i, j), g1.get(i, j), 4 * bound[i][j], "(" + i + ", " + j + ")");
                        assertEquals(exact[i][j], g2.get(i, j), 2 * bound[i][j], "(" + i + ", " + j + ")");
                    }
                }
                assertArrayEquals(mean2.toDoubleArray(), mean1.toDoubleArray(), 1e-14);
            }
        }
    }

    @Test
    void batchesOfDifferentTypesAccumulateInF64() {
        double[][] rows = gaussian(20, 6, RANDOM);
        try (GramAccumulator accumulator = new GramAccumulator(6);
             Tensor first = toTensor(Arrays.copyOfRange(rows, 0, 10), DType.F32);
             Tensor second = toTensor(Arrays.copyOfRange(rows, 10, 20), DType.F64)) {
            accumulator.add(first);
            accumulator.add(second);
            double[][] stored = new double[20][];
            System.arraycopy(toArray(first), 0, stored, 0, 10);   // the F32 rows as rounded, exactly widened
            System.arraycopy(toArray(second), 0, stored, 10, 10);
            try (Tensor gram = accumulator.gram()) {
                assertWithinSummationBound(stored, toArray(gram));
            }
        }
    }

    @Test
    void meanIsTheColumnSumOverTheRowCount() {
        double[][] rows = {{1, -2, 3}, {3, 2, 1}, {-1, 0, 8}, {5, 4, 0}};
        try (GramAccumulator accumulator = new GramAccumulator(3)) {
            assertThrows(IllegalStateException.class, accumulator::mean, "no rows, no mean");
            try (Tensor batch = toTensor(rows, DType.F64)) {
                accumulator.add(batch.slice(0, 1));
                accumulator.add(batch.slice(1, 4));
            }
            try (Tensor mean = accumulator.mean()) {
                assertArrayEquals(new double[]{2, 1, 3}, mean.toDoubleArray(), 0); // small integers: exact
            }
        }
    }

    @Test
    void gramIsExactlySymmetricAndZeroBeforeTheFirstRow() {
        try (GramAccumulator accumulator = new GramAccumulator(9)) {
            try (Tensor empty = accumulator.gram()) {
                assertArrayEquals(new double[81], empty.toDoubleArray());
            }
            try (Tensor batch = toTensor(gaussian(4, 9, RANDOM), DType.F64)) {
                accumulator.add(batch);
            }
            try (Tensor gram = accumulator.gram()) {
                for (int i = 0; i < 9; i++) {
                    for (int j = 0; j < i; j++) {
                        assertEquals(gram.get(i, j), gram.get(j, i), "(" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void nonFiniteRowsAreRefusedNamingTheElementAndChangeNothing() {
        try (GramAccumulator accumulator = new GramAccumulator(4);
             Tensor good = toTensor(gaussian(3, 4, RANDOM), DType.F32);
             Tensor bad = toTensor(gaussian(5, 4, RANDOM), DType.F32)) {
            accumulator.add(good);
            double[] before;
            try (Tensor gram = accumulator.gram()) {
                before = gram.toDoubleArray();
            }
            bad.setDouble(2 * 4 + 1, Double.NaN);
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> accumulator.add(bad));
            assertTrue(nan.getMessage().contains("NaN at (row 2, column 1)"), nan.getMessage());
            bad.setDouble(2 * 4 + 1, 0);
            bad.setDouble(4 * 4 + 3, Double.POSITIVE_INFINITY);
            IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () -> accumulator.add(bad));
            assertTrue(inf.getMessage().contains("Infinity at (row 4, column 3)"), inf.getMessage());
            assertEquals(3, accumulator.rows());
            try (Tensor gram = accumulator.gram()) {
                assertArrayEquals(before, gram.toDoubleArray(), "a refused batch must leave G unchanged");
            }
        }
    }

    @Test
    void mismatchedBatchesAreRejected() {
        try (GramAccumulator accumulator = new GramAccumulator(4);
             Tensor wide = Tensor.allocate(DType.F64, Shape.of(2, 5));
             Tensor vector = Tensor.allocate(DType.F64, Shape.of(4))) {
            IllegalArgumentException columns = assertThrows(IllegalArgumentException.class, () -> accumulator.add(wide));
            assertTrue(columns.getMessage().contains("5 columns") && columns.getMessage().contains("rows of 4"),
                    columns.getMessage());
            assertThrows(IllegalArgumentException.class, () -> accumulator.add(vector));
            assertThrows(NullPointerException.class, () -> accumulator.add(null));
        }
        assertThrows(IllegalArgumentException.class, () -> new GramAccumulator(0));
    }

    @Test
    void closedAccumulatorFailsLoudlyButItsResultsLiveOn() {
        GramAccumulator accumulator = new GramAccumulator(3);
        Tensor gram;
        try (Tensor batch = Tensor.ofDoubles(Shape.of(1, 3), 1, 2, 3)) {
            accumulator.add(batch);
            gram = accumulator.gram();
            accumulator.close();
            assertTrue(accumulator.isClosed());
            assertThrows(IllegalStateException.class, () -> accumulator.add(batch));
        }
        assertThrows(IllegalStateException.class, accumulator::gram);
        assertThrows(IllegalStateException.class, accumulator::mean);
        assertThrows(IllegalStateException.class, accumulator::rows);
        accumulator.close(); // idempotent
        try (gram) {
            assertEquals(6.0, gram.get(1, 2), "gram() is a copy that the caller owns");
        }
    }

    private static Tensor batchOf(double[][] rows, int columns) {
        return rows.length == 0 ? Tensor.allocate(DType.F64, Shape.of(0, columns)) : toTensor(rows, DType.F64);
    }

    private static double[][] bruteForceGram(double[][] rows) {
        int n = rows[0].length;
        double[][] g = new double[n][n];
        for (double[] x : rows) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    g[i][j] += x[i] * x[j];
                }
            }
        }
        return g;
    }

    /** {@code N·ε·Σ_k |x_ki·x_kj|}: the error bound of any summation order of the entry's N products. */
    private static double[][] summationBound(double[][] rows) {
        int n = rows[0].length;
        double[][] bound = new double[n][n];
        double gamma = rows.length * epsilon(DType.F64);
        for (double[] x : rows) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    bound[i][j] += gamma * Math.abs(x[i] * x[j]);
                }
            }
        }
        return bound;
    }

    private static void assertWithinSummationBound(double[][] rows, double[][] gram) {
        double[][] exact = bruteForceGram(rows);
        double[][] bound = summationBound(rows);
        for (int i = 0; i < exact.length; i++) {
            for (int j = 0; j < exact.length; j++) {
                assertEquals(exact[i][j], gram[i][j], 2 * bound[i][j], "G(" + i + ", " + j + ")");
            }
        }
    }
}
