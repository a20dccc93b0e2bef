package dev.wsvd.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TruncationProfileTest {

    /** s = (3, 2, 1): squared errors 9+4+1, 4+1, 1, 0 by hand; all exact in double. */
    @Test
    void profileOfAHandComputedSpectrum() {
        TruncationProfile profile = TruncationProfile.of(3.0, 2.0, 1.0);
        assertEquals(3, profile.maxRank());
        assertArrayEquals(new double[] {14, 5, 1, 0}, profile.squaredErrors());
        assertEquals(14, profile.squaredNorm());
        assertArrayEquals(new double[] {1, Math.sqrt(5.0 / 14), Math.sqrt(1.0 / 14), 0}, profile.relativeErrors(), 1e-16);
        assertEquals(9.0 / 14, profile.retainedEnergy(1), 1e-15); // 1 - 5/14 rounds twice
        assertEquals(1.0, profile.retainedEnergy(3));
    }

    @Test
    void f32AndTensorSpectraGiveTheSameProfile() {
        float[] values = {5.5f, 2.25f, 0.125f, 0.0625f};
        double[] widened = {5.5, 2.25, 0.125, 0.0625};
        double[] expected = TruncationProfile.of(widened).squaredErrors();
        assertArrayEquals(expected, TruncationProfile.of(values).squaredErrors());
        try (Tensor spectrum = Tensor.ofFloats(Shape.of(4), values)) {
            assertArrayEquals(expected, TruncationProfile.of(spectrum).squaredErrors());
        }
        assertEquals(0.0625 * 0.0625, expected[3]);
    }

    /**
     * Why suffix sums and not total minus prefix: with s = (1e8, 1e-4, 1e-5) the tail 1.01e-8 is far below the
     * rounding unit of the total 1e16, so total - prefix would give 0 (or noise); the suffix sum keeps it.
     */
    @Test
    void smallTailsSurviveNextToALargeLeadingValue() {
        TruncationProfile profile = TruncationProfile.of(1e8, 1e-4, 1e-5);
        double tail = 1e-4 * 1e-4 + 1e-5 * 1e-5;
        assertEquals(tail, profile.squaredError(1), tail * 1e-15);
        assertEquals(Math.sqrt(tail) / 1e8, profile.relativeError(1), Math.sqrt(tail) / 1e8 * 1e-15);
        assertEquals(1e-10, profile.squaredError(2), 1e-25);
    }

    /** An f32 spectrum whose squares would overflow a float accumulator, and one whose squares underflow it. */
    @Test
    void extremeMagnitudesKeepFiniteRelativeErrors() {
        TruncationProfile big = TruncationProfile.of(3e38f, 3e37f);
        assertEquals(0.1 / Math.sqrt(1.01), big.relativeError(1), 1e-7); // float inputs are not exactly 3e38, 3e37
        TruncationProfile huge = TruncationProfile.of(1e200, 1e199);
        assertEquals(0.1 / Math.sqrt(1.01), huge.relativeError(1), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, huge.squaredNorm()); // the true value does not fit a double
        TruncationProfile tiny = TruncationProfile.of(1e-200, 1e-201);
        assertEquals(0.1 / Math.sqrt(1.01), tiny.relativeError(1), 1e-15);
        assertEquals(0.0, tiny.squaredError(1)); // 1e-402 underflows, as it must
    }

    @Test
    void allZeroAndEmptySpectraHaveZeroRelativeError() {
        TruncationProfile zeros = TruncationProfile.of(0.0, 0.0, 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 0}, zeros.relativeErrors());
        assertArrayEquals(new double[] {0, 0, 0, 0}, zeros.squaredErrors());
        assertEquals(1.0, zeros.retainedEnergy(0));
        assertEquals(0, zeros.smallestRankRetaining(0.99));
        TruncationProfile empty = TruncationProfile.of(new double[0]);
        assertEquals(0, empty.maxRank());
        assertEquals(0.0, empty.relativeError(0));
    }

    @Test
    void energyAndErrorRulesPickTheSmallestSufficientRank() {
        TruncationProfile profile = TruncationProfile.of(3.0, 2.0, 1.0, 0.0, 0.0); // kept: 9/14, 13/14, 14/14
        assertEquals(0, profile.smallestRankRetaining(0));
        assertEquals(1, profile.smallestRankRetaining(0.5));
        assertEquals(2, profile.smallestRankRetaining(0.65));
        assertEquals(2, profile.smallestRankRetaining(0.92));
        assertEquals(3, profile.smallestRankRetaining(0.93));
        assertEquals(3, profile.smallestRankRetaining(1.0)); // the number of non-zero values, not 5
        assertEquals(3, profile.smallestRankWithin(0));
        assertEquals(1, profile.smallestRankWithin(Math.sqrt(5.0 / 14) + 1e-12));
        assertEquals(2, profile.smallestRankWithin(Math.sqrt(5.0 / 14) - 1e-12));
        assertEquals(0, profile.smallestRankWithin(1));
        assertThrows(IllegalArgumentException.class, () -> profile.smallestRankRetaining(1.5));
        assertThrows(IllegalArgumentException.class, () -> profile.smallestRankRetaining(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> profile.smallestRankWithin(-0.1));
    }

    @Test
    void profileMatchesTheExplicitlyMeasuredErrorOfTruncatedMatrices() {
        double[] spectrum = {4, 2.5, 1, 0.5, 0.25, 0.1};
        TruncationProfile profile = TruncationProfile.of(spectrum);
        int n = spectrum.length;
        // W = Q diag(s) with Q = I - 2 v v^T / v^T v orthogonal, so W's singular values are s and W_r = Q diag(s_r).
        double[] v = {1, -2, 0.5, 3, -1, 2};
        double vv = 0;
        for (double x : v) {
            vv += x * x;
        }
        try (Tensor w = Tensor.allocate(dev.wsvd.tensor.DType.F64, Shape.of(n, n))) {
            for (int r = 0; r <= n; r++) {
                try (Tensor wr = Tensor.allocate(dev.wsvd.tensor.DType.F64, Shape.of(n, n))) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double q = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv;
                            w.setDouble(i * n + j, q * spectrum[j]);
                            wr.setDouble(i * n + j, j < r ? q * spectrum[j] : 0);
                        }
                    }
                    assertEquals(profile.squaredError(r), Kernels.squaredDistance(w, wr), 1e-13, "rank " + r);
                    assertEquals(profile.relativeError(r), Kernels.relativeError(w, wr), 1e-14, "rank " + r);
                }
            }
        }
    }

    @Test
    void rejectsInvalidSpectraNamingTheValue() {
        var ascending = assertThrows(IllegalArgumentException.class, () -> TruncationProfile.of(1.0, 2.0));
        assertTrue(ascending.getMessage().contains("descending") && ascending.getMessage().contains("value 1"), ascending.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> TruncationProfile.of(1.0, -0.5));
        assertTrue(negative.getMessage().contains("singular value 1 is -0.5"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TruncationProfile.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TruncationProfile.of(Float.POSITIVE_INFINITY, 1f));
        assertThrows(IndexOutOfBoundsException.class, () -> TruncationProfile.of(1.0).relativeError(2));
        try (Tensor matrix = Tensor.ofDoubles(Shape.of(1, 2), 2, 1)) {
            assertThrows(IllegalArgumentException.class, () -> TruncationProfile.of(matrix));
        }
    }
}
