package dev.wsvd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The test-only brute-force convolution against outputs worked out by hand. */
class ReferenceConvolutionTest {

    private static final double[] IMAGE_3X3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void windowSumsOfA2x2KernelOfOnes() {
        ReferenceConvolution conv = new ReferenceConvolution(1, new int[] {1, 1}, new int[4], new int[] {1, 1});
        double[] y = conv.apply(IMAGE_3X3, new int[] {1, 1, 3, 3}, new double[] {1, 1, 1, 1}, new int[] {1, 1, 2, 2}, null);
        assertArrayEquals(new double[] {12, 16, 24, 28}, y, 0.0);
    }

    @Test
    void paddingStrideAndBias() {
        // pad 1 on every side, stride 2, 3x3 ones: sums of the 3x3 neighbourhoods at the corners, plus 10
        ReferenceConvolution conv = new ReferenceConvolution(1, new int[] {2, 2}, new int[] {1, 1, 1, 1}, new int[] {1, 1});
        double[] ones = new double[9];
        java.util.Arrays.fill(ones, 1);
        double[] y = conv.apply(IMAGE_3X3, new int[] {1, 1, 3, 3}, ones, new int[] {1, 1, 3, 3}, new double[] {10});
        assertArrayEquals(new double[] {1 + 2 + 4 + 5 + 10, 2 + 3 + 5 + 6 + 10, 4 + 5 + 7 + 8 + 10, 5 + 6 + 8 + 9 + 10}, y, 0.0);
    }

    @Test
    void dilationSkipsPixels() {
        // a 2x2 kernel with dilation 2 touches the four corners of the 3x3 image
        ReferenceConvolution conv = new ReferenceConvolution(1, new int[] {1, 1}, new int[4], new int[] {2, 2});
        double[] y = conv.apply(IMAGE_3X3, new int[] {1, 1, 3, 3}, new double[] {1, 10, 100, 1000}, new int[] {1, 1, 2, 2}, null);
        assertArrayEquals(new double[] {1 + 30 + 700 + 9000}, y, 0.0);
    }

    @Test
    void groupsSeeOnlyTheirOwnChannels() {
        // two channels, two groups, 1x1 weights 2 and 3: each output channel scales its own input channel
        ReferenceConvolution conv = ReferenceConvolution.pointwise(1, 2);
        double[] y = conv.apply(new double[] {1, 2, 3, 4}, new int[] {1, 2, 2}, new double[] {2, 3}, new int[] {2, 1, 1}, null);
        assertArrayEquals(new double[] {2, 4, 9, 12}, y, 0.0);
    }

    @Test
    void oneDimensionalWithAsymmetricPadding() {
        // x = [1 2 3], kernel [1 -1], pad begin 0, end 1: [1-2, 2-3, 3-0]
        ReferenceConvolution conv = new ReferenceConvolution(1, new int[] {1}, new int[] {0, 1}, new int[] {1});
        double[] y = conv.apply(new double[] {1, 2, 3}, new int[] {1, 1, 3}, new double[] {1, -1}, new int[] {1, 1, 2}, null);
        assertArrayEquals(new double[] {-1, -1, 3}, y, 0.0);
    }
}
