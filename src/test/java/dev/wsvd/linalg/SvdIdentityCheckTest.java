package dev.wsvd.linalg;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A LAPACK that exports the right symbols but computes nothing, or garbage (issue 10, item 11): the SVD checks
 * {@code sum sigma_i^2 = ||A||_F^2} and the order of the singular values after every call and fails loudly.
 */
class SvdIdentityCheckTest {

    /** A routine that claims success: leaves the outputs as allocated (zeros), or writes the values given. */
    private record FakeRoutine(double[] singularValues) implements SvdRoutine {
        @Override
        public String function(DType dtype) {
            return "fake_gesdd";
        }

        @Override
        public List<String> argumentNames() {
            return List.of();
        }

        @Override
        public int run(LapackSvdCall call, Arena workspace) {
            for (int i = 0; singularValues != null && i < singularValues.length; i++) {
                if (call.dtype() == DType.F32) {
                    call.s().setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) singularValues[i]);
                } else {
                    call.s().setAtIndex(ValueLayout.JAVA_DOUBLE, i, singularValues[i]);
                }
            }
            return 0;
        }
    }

    private static Tensor matrix(DType dtype, double[][] values) {
        Tensor t = Tensor.allocate(dtype, Shape.of(values.length, values[0].length));
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[0].length; j++) {
                t.setDouble((long) i * values[0].length + j, values[i][j]);
            }
        }
        return t;
    }

    @Test
    void aLibraryThatComputesNothingFailsLoudly() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            try (Tensor a = matrix(dtype, Matrices.gaussian(7, 5, new Random(1)))) {
                LapackException error = assertThrows(LapackException.class, () -> Svd.thin(a, List.of(new FakeRoutine(null))).close());
                assertTrue(error.getMessage().contains("squared singular values sum to 0") && error.getMessage().contains("wrong results"),
                        error.getMessage());
            }
        }
    }

    @Test
    void singularValuesOffByMoreThanTheToleranceFail() {
        double[] sigma = {4, 3, 2, 1};
        double[][] values = Matrices.withSingularValues(6, 4, sigma, new Random(2));
        try (Tensor a = matrix(DType.F64, values)) {
            // 30 -> 30.0004: a relative error of 1.3e-5, above F64's tolerance
            double[] off = {4.00005, 3, 2, 1};
            assertThrows(LapackException.class, () -> Svd.thin(a, List.of(new FakeRoutine(off))).close());
            double[] unordered = {3, 4, 2, 1};
            String message = assertThrows(LapackException.class, () -> Svd.thin(a, List.of(new FakeRoutine(unordered))).close()).getMessage();
            assertTrue(message.contains("descending"), message);
            // the exact values pass the check (the fake leaves U and Vt zero, which the check does not look at)
            Svd.thin(a, List.of(new FakeRoutine(sigma))).close();
        }
    }

    @Test
    void theRealLibraryPassesOnHardMatrices() {
        Random random = new Random(3);
        double[] graded = new double[40];
        for (int i = 0; i < graded.length; i++) {
            graded[i] = Math.pow(10, -i / 4.0); // 1 .. 1e-10: condition number 1e10
        }
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (double[][] values : new double[][][] {Matrices.gaussian(300, 40, random), Matrices.withSingularValues(60, 40, graded, random),
                    Matrices.gaussian(1, 50, random), new double[3][4]}) {
                try (Tensor a = matrix(dtype, values); SvdResult svd = Svd.thin(a)) {
                    assertEquals(Math.min(values.length, values[0].length), svd.s().shape().size());
                }
            }
        }
    }
}
