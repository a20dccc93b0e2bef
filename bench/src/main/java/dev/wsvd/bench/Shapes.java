package dev.wsvd.bench;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.SplittableRandom;

/** Benchmark inputs: a seeded Gaussian matrix, as wsvd tensors and as plain arrays for EJML. */
final class Shapes {
    private Shapes() {
    }

    /** Parses {@code "384x1536"} into {@code {384, 1536}}. */
    static int[] parse(String shape) {
        String[] parts = shape.split("x");
        return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    static double[] gaussian(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 31L + cols);
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    static Tensor tensor(int rows, int cols, DType dtype) {
        double[] values = gaussian(rows, cols);
        Tensor tensor = Tensor.allocate(dtype, Shape.of(rows, cols));
        for (int i = 0; i < values.length; i++) {
            tensor.setDouble(i, values[i]);
        }
        return tensor;
    }
}
