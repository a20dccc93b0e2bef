package dev.wsvd.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Widening from f16/bf16 is exact; narrowing rounds to nearest, ties to even, once. Expected bit patterns
 * come from the formats' definitions (binary16: 1 sign, 5 exponent, 10 fraction bits; bfloat16: the upper
 * 16 bits of a binary32), not from running the code under test.
 */
class DTypeConversionTest {

    private static short storedBits(DType dtype, double value) {
        try (Tensor t = Tensor.allocate(dtype, Shape.of(1))) {
            return storedBits(t, value);
        }
    }

    private static short storedBits(Tensor target, double value) {
        target.setDouble(0, value);
        return target.segment().get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0);
    }

    @Test
    void f16RepresentableValuesWidenExactly() {
        // value, binary16 bits
        double[][] cases = {
            {1, 0x3C00}, {-2, 0xC000}, {0.5, 0x3800}, {65504, 0x7BFF}, {0x1p-14, 0x0400}, {0x1p-24, 0x0001},
            {0, 0x0000}, {1 + 0x1p-10, 0x3C01}, {Double.POSITIVE_INFINITY, 0x7C00}, {-0x1.ff8p-15, 0x83FF},
        };
        for (double[] c : cases) {
            assertEquals((short) c[1], storedBits(DType.F16, c[0]), () -> "bits of " + c[0]);
            try (Tensor half = Tensor.allocate(DType.F16, Shape.of(1))) {
                half.segment().set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) c[1]);
                assertEquals(c[0], half.getDouble(0));
                try (Tensor wide = half.to(DType.F32)) {
                    assertEquals((float) c[0], wide.getFloat(0));
                }
            }
        }
        assertEquals((short) 0x8000, storedBits(DType.F16, -0.0));
        try (Tensor nan = Tensor.allocate(DType.F16, Shape.of(1))) {
            nan.setDouble(0, Double.NaN);
            assertTrue(Double.isNaN(nan.getDouble(0)));
        }
    }

    @Test
    void bf16RepresentableValuesWidenExactly() {
        double[] values = {1, -3.5, 0x1p100, 0x1p-120, 1 + 0x1p-7, 0, 3.0e38 - 3.0e38 % 0x1p120};
        for (double value : values) {
            int floatBits = Float.floatToRawIntBits((float) value);
            if ((floatBits & 0xFFFF) != 0) {
                continue; // not a bf16 value (guards the list above)
            }
            assertEquals((short) (floatBits >>> 16), storedBits(DType.BF16, value), () -> "bits of " + value);
            try (Tensor t = Tensor.allocate(DType.BF16, Shape.of(1))) {
                t.setDouble(0, value);
                assertEquals(value, t.getDouble(0));
            }
        }
        try (Tensor nan = Tensor.allocate(DType.BF16, Shape.of(1))) {
            nan.setDouble(0, Float.intBitsToFloat(0x7F800001)); // a NaN whose payload sits below bf16's bits
            assertTrue(Double.isNaN(nan.getDouble(0)), "NaN must not truncate to infinity");
        }
    }

    @Test
    void narrowingToF16RoundsToNearestEven() {
        assertEquals((short) 0x3C00, storedBits(DType.F16, 1 + 0x1p-11));              // tie -> even (1)
        assertEquals((short) 0x3C02, storedBits(DType.F16, 1 + 0x1p-10 + 0x1p-11));    // tie -> even (1 + 2^-9)
        assertEquals((short) 0x3C01, storedBits(DType.F16, 1 + 0x1p-11 + 0x1p-20));    // above the tie -> up
        assertEquals((short) 0x7BFF, storedBits(DType.F16, 65519));                    // below max + half ulp
        assertEquals((short) 0x7C00, storedBits(DType.F16, 65520));                    // tie at the top -> infinity
        assertEquals((short) 0x0000, storedBits(DType.F16, 0x1p-26));                  // below half the smallest subnormal
        assertEquals((short) 0x0001, storedBits(DType.F16, 0x1.8p-25));                // above half of it
    }

    /**
     * A double just above an f16 tie must round up. Going through float first loses the 2^-40 and leaves an
     * exact tie that rounds to even (down): the double-rounding error this guards against.
     */
    @Test
    void narrowingFromDoubleRoundsOnce() {
        assertEquals((short) 0x3C01, storedBits(DType.F16, 1 + 0x1p-11 + 0x1p-40));
        assertEquals((short) 0xBC01, storedBits(DType.F16, -(1 + 0x1p-11 + 0x1p-40)));
        assertEquals((short) 0x3F81, storedBits(DType.BF16, 1 + 0x1p-8 + 0x1p-40));
        assertEquals((short) 0x3F80, storedBits(DType.BF16, 1 + 0x1p-8));               // the exact tie still goes to even
        assertEquals((short) 0x3C00, storedBits(DType.F16, 1 + 0x1p-11 - 0x1p-40));     // just below the tie -> down
        try (Tensor wide = Tensor.ofDoubles(Shape.of(2), 1 + 0x1p-11 + 0x1p-40, 1 + 0x1p-8 + 0x1p-40);
             Tensor half = wide.to(DType.F16); Tensor brain = wide.to(DType.BF16)) {
            assertEquals(1 + 0x1p-10, half.getDouble(0));
            assertEquals(1 + 0x1p-7, brain.getDouble(1));
        }
    }

    @Test
    void narrowingToBf16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, storedBits(DType.BF16, 1 + 0x1p-8));               // tie -> even
        assertEquals((short) 0x3F82, storedBits(DType.BF16, 1 + 0x1p-7 + 0x1p-8));      // tie -> even (up)
        assertEquals((short) 0x3F81, storedBits(DType.BF16, 1 + 0x1p-8 + 0x1p-20));     // above the tie -> up
        assertEquals((short) 0x7F80, storedBits(DType.BF16, Float.MAX_VALUE));          // rounds past the largest bf16
    }

    /**
     * Every pair of consecutive positive finite values h, h' of the format: their midpoint (exact in double)
     * must go to the one with an even last bit, and the midpoint nudged up or down by 2^-30 of itself (below
     * float precision, so only a single rounding sees it) must go to h' or h. Both signs.
     */
    @Test
    void narrowingIsCorrectlyRoundedAtEveryMidpoint() {
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            int largestFinite = dtype == DType.F16 ? 0x7BFF : 0x7F7F;
            try (Tensor t = Tensor.allocate(dtype, Shape.of(1)); Tensor out = Tensor.allocate(dtype, Shape.of(1))) {
                var bits = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
                for (int low = 0; low < largestFinite; low++) {
                    t.segment().set(bits, 0, (short) low);
                    double h = t.getDouble(0);
                    t.segment().set(bits, 0, (short) (low + 1));
                    double next = t.getDouble(0);
                    double midpoint = (h + next) / 2;
                    double nudge = Math.scalb(midpoint, -30);
                    int even = (low & 1) == 0 ? low : low + 1;
                    for (int sign : new int[] {0, 0x8000}) {
                        double s = sign == 0 ? 1 : -1;
                        assertEquals((short) (even | sign), storedBits(out, s * midpoint), () -> dtype + " tie above " + h);
                        assertEquals((short) ((low + 1) | sign), storedBits(out, s * (midpoint + nudge)), () -> dtype + " above the tie after " + h);
                        assertEquals((short) (low | sign), storedBits(out, s * (midpoint - nudge)), () -> dtype + " below the tie after " + h);
                    }
                }
            }
        }
    }
}
