package dev.wsvd.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#scaledSquaredTails}: the truncation error of every rank from singular values alone, against
 * hand-computed sums and explicitly truncated matrices. The entries are scaled by one power of two, so tests
 * compare ratios (relative errors) or divide the scale out.
 */
class SquaredTailsTest {

    private static double[] tails(double... spectrum) {
        try (Tensor s = Tensor.ofDoubles(Shape.of(spectrum.length), spectrum)) {
            return Kernels.scaledSquaredTails(List.of(s));
        }
    }

    private static double relativeError(double[] tails, int rank) {
        return tails[0] == 0 ? 0 : Math.sqrt(tails[rank] / tails[0]);
    }

    /** s = (3, 2, 1): squared errors 9+4+1, 4+1, 1, 0 by hand, scaled by 4^-1 (3 is in [2, 4)); all exact. */
    @Test
    void tailsOfAHandComputedSpectrum() {
        double[] tails = tails(3.0, 2.0, 1.0);
        assertArrayEquals(new double[] {14 / 4.0, 5 / 4.0, 1 / 4.0, 0}, tails);
        assertArrayEquals(new double[] {1, Math.sqrt(5.0 / 14), Math.sqrt(1.0 / 14), 0},
                new double[] {relativeError(tails, 0), relativeError(tails, 1), relativeError(tails, 2), relativeError(tails, 3)}, 1e-16);
        assertEquals(9.0 / 14, 1 - tails[1] / tails[0], 1e-15); // the energy rank 1 keeps; 1 - 5/14 rounds twice
    }

    @Test
    void f32AndF64SpectraGiveTheSameTails() {
        float[] values = {5.5f, 2.25f, 0.125f, 0.0625f};
        double[] expected = tails(5.5, 2.25, 0.125, 0.0625);
        try (Tensor spectrum = Tensor.ofFloats(Shape.of(4), values)) {
            assertArrayEquals(expected, Kernels.scaledSquaredTails(List.of(spectrum)));
        }
        assertEquals(0.0625 * 0.0625 / 16, expected[3]); // 5.5 is in [4, 8): scaled by 4^-2
    }

    /** Several spectra (one per group) add up rank by rank, under one common scale. */
    @Test
    void spectraOfSeveralGroupsAddUpRankByRank() {
        try (Tensor a = Tensor.ofDoubles(Shape.of(2), 4, 1); Tensor b = Tensor.ofFloats(Shape.of(2), 2, 2)) {
            // 4 is in [4, 8): every square scaled by 1/16; tails 16+1+4+4, 1+4, 0
            assertArrayEquals(new double[] {25 / 16.0, 5 / 16.0, 0}, Kernels.scaledSquaredTails(List.of(a, b)));
        }
    }

    /**
     * Why suffix sums and not total minus prefix: with s = (1e8, 1e-4, 1e-5) the tail 1.01e-8 is far below the
     * rounding unit of the total 1e16, so total - prefix would give 0 (or noise); the suffix sum keeps it.
     */
    @Test
    void smallTailsSurviveNextToALargeLeadingValue() {
        double[] tails = tails(1e8, 1e-4, 1e-5);
        double tail = 1e-4 * 1e-4 + 1e-5 * 1e-5;
        assertEquals(Math.sqrt(tail) / 1e8, relativeError(tails, 1), Math.sqrt(tail) / 1e8 * 1e-15);
        assertEquals(1e-10 / 1e16, tails[2] / tails[0], 1e-26 * 1e-15);
    }

    /** Spectra whose squares would overflow or underflow even a double keep finite, exact relative errors. */
    @Test
    void extremeMagnitudesKeepFiniteRelativeErrors() {
        try (Tensor big = Tensor.ofFloats(Shape.of(2), 3e38f, 3e37f)) {
            assertEquals(0.1 / Math.sqrt(1.01), relativeError(Kernels.scaledSquaredTails(List.of(big)), 1), 1e-7); // floats are not exactly 3e38, 3e37
        }
        double[] huge = tails(1e200, 1e199); // 1e400 does not fit a double
        assertEquals(0.1 / Math.sqrt(1.01), relativeError(huge, 1), 1e-15);
        assertTrue(Double.isFinite(huge[0]) && huge[1] > 0, "scaled, not overflowed");
        double[] tiny = tails(1e-200, 1e-201); // 1e-402 would flush to zero
        assertEquals(0.1 / Math.sqrt(1.01), relativeError(tiny, 1), 1e-15);
        assertTrue(tiny[1] > 0, "scaled, not flushed to zero");
    }

    @Test
    void allZeroAndEmptySpectraHaveZeroTails() {
        assertArrayEquals(new double[] {0, 0, 0, 0}, tails(0.0, 0.0, 0.0));
        assertArrayEquals(new double[] {0}, tails());
    }

    @Test
    void tailsAreTheExplicitlyMeasuredErrorsOfTruncatedMatrices() {
        double[] spectrum = {4, 2.5, 1, 0.5, 0.25, 0.1};
        double[] tails = tails(spectrum);
        int n = spectrum.length;
        // W = Q diag(s) with Q = I - 2 v v^T / v^T v orthogonal, so W's singular values are s and W_r = Q diag(s_r).
        double[] v = {1, -2, 0.5, 3, -1, 2};
        double vv = 0;
        for (double x : v) {
            vv += x * x;
        }
        try (Tensor w = Tensor.allocate(DType.F64, Shape.of(n, n))) {
            for (int r = 0; r <= n; r++) {
                try (Tensor wr = Tensor.allocate(DType.F64, Shape.of(n, n))) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double q = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv;
                            w.setDouble(i * n + j, q * spectrum[j]);
                            wr.setDouble(i * n + j, j < r ? q * spectrum[j] : 0);
                        }
                    }
                    double squaredNorm = Kernels.sumOfSquares(w);
                    assertEquals(tails[r] / tails[0] * squaredNorm, Kernels.squaredDistance(w, wr), 1e-13, "rank " + r);
                    assertEquals(relativeError(tails, r), Kernels.relativeError(w, wr), 1e-14, "rank " + r);
                }
            }
        }
    }

    @Test
    void rejectsInvalidSpectraNamingTheValue() {
        var ascending = assertThrows(IllegalArgumentException.class, () -> tails(1.0, 2.0));
        assertTrue(ascending.getMessage().contains("descending") && ascending.getMessage().contains("value 1"), ascending.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> tails(1.0, -0.5));
        assertTrue(negative.getMessage().contains("singular value 1 is -0.5"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tails(Double.NaN));
        try (Tensor infinite = Tensor.ofFloats(Shape.of(2), Float.POSITIVE_INFINITY, 1f);
             Tensor matrix = Tensor.ofDoubles(Shape.of(1, 2), 2, 1);
             Tensor one = Tensor.ofDoubles(Shape.of(1), 1);
             Tensor two = Tensor.ofDoubles(Shape.of(2), 2, 1)) {
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledSquaredTails(List.of(infinite)));
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledSquaredTails(List.of(matrix)));
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledSquaredTails(List.of(one, two)));
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledSquaredTails(List.of()));
        }
    }

    /**
     * Values in any order (component norms, not singular values): (1, 3, 2) gives tails 1+9+4, 9+4, 4, 0 by hand,
     * scaled by 4^-1 since the largest, 3, is in [2, 4) although it is not the first.
     */
    @Test
    void tailsInAnyOrderScaleByTheLargestValueWhereverItIs() {
        try (Tensor norms = Tensor.ofDoubles(Shape.of(3), 1, 3, 2); Tensor more = Tensor.ofFloats(Shape.of(3), 0, 0, 4)) {
            assertArrayEquals(new double[] {14 / 4.0, 13 / 4.0, 1, 0}, Kernels.scaledSquaredTailsInAnyOrder(List.of(norms)));
            // 4 is in [4, 8): every square scaled by 1/16; tails 14+16, 13+16, 4+16, 0
            assertArrayEquals(new double[] {30 / 16.0, 29 / 16.0, 20 / 16.0, 0},
                    Kernels.scaledSquaredTailsInAnyOrder(List.of(norms, more)));
        }
        try (Tensor descending = Tensor.ofDoubles(Shape.of(3), 3, 2, 1)) {
            assertArrayEquals(tails(3, 2, 1), Kernels.scaledSquaredTailsInAnyOrder(List.of(descending)), "the same sums for a spectrum");
        }
    }

    @Test
    void tailsInAnyOrderStillRejectNegativeAndNonFiniteValues() {
        try (Tensor negative = Tensor.ofDoubles(Shape.of(2), 1, -0.5); Tensor nan = Tensor.ofDoubles(Shape.of(1), Double.NaN)) {
            var error = assertThrows(IllegalArgumentException.class, () -> Kernels.scaledSquaredTailsInAnyOrder(List.of(negative)));
            assertTrue(error.getMessage().contains("value 1 is -0.5"), error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Kernels.scaledSquaredTailsInAnyOrder(List.of(nan)));
        }
    }
}
