package dev.wsvd.linalg;

import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.wsvd.linalg.Matrices.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Thin SVD against independent truth: matrices built with known singular values from random orthogonal
 * factors, reconstructions and orthogonality checked in plain Java double arithmetic.
 *
 * <p>Tolerances. LAPACK's SVD is backward stable: the computed factors are the exact SVD of {@code A + E} with
 * {@code ||E|| <= p(m,n)·ε·||A||}, where ε is 1.2e-7 in F32 and 2.2e-16 in F64 and p grows slowly with the size
 * (a small multiple of sqrt(mn) in practice; the tests stay below 100x100). So the reconstruction error relative
 * to {@code ||A||_F}, the departure of {@code UᵀU} and {@code V·Vᵀ} from the identity, and the error of each
 * singular value relative to {@code σ_max} (Weyl: a perturbation E moves each singular value by at most
 * {@code ||E||₂}) are all a few hundred ε at most: 1e-5 in F32 (about 80 ε) and 1e-12 in F64 (about 4500 ε).
 * A wrong layout, a swapped factor or a lost transpose gives errors of order 1, far beyond either.
 */
class SvdTest {
    private static final Random SEED = new Random(20240611);

    static double tolerance(DType dtype) {
        return dtype == DType.F64 ? 1e-12 : 1e-5;
    }

    /** Tall, wide and square shapes on both sides of gesdd's "much taller than wide" switch (m >= 11n/6). */
    static Stream<Arguments> shapesTypesAndLayouts() {
        int[][] shapes = {{64, 64}, {90, 40}, {40, 90}, {50, 40}, {40, 50}, {1, 17}, {17, 1}, {1, 1}};
        List<Arguments> cases = new ArrayList<>();
        for (int[] shape : shapes) {
            for (DType dtype : List.of(DType.F32, DType.F64)) {
                for (SvdLayout layout : SvdLayout.values()) {
                    cases.add(Arguments.of(shape[0], shape[1], dtype, layout));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}x{1} {2} {3}")
    @MethodSource("shapesTypesAndLayouts")
    void factorsAreOrthonormalAndReconstructTheMatrix(int m, int n, DType dtype, SvdLayout layout) {
        double[][] w = gaussian(m, n, new Random(m * 1000L + n));
        try (Tensor matrix = toTensor(w, dtype);
             SvdResult svd = Svd.thin(matrix, List.of(LapackSvd.GESDD, LapackSvd.GESVD), layout)) {
            int k = Math.min(m, n);
            assertEquals(Shape.of(m, k), svd.u().shape());
            assertEquals(Shape.of(k), svd.s().shape());
            assertEquals(Shape.of(k, n), svd.vt().shape());
            assertEquals(dtype, svd.dtype());
            assertFactorization(toArray(matrix), svd, tolerance(dtype));
        }
    }

    @ParameterizedTest(name = "{0}x{1} {2} {3}")
    @MethodSource("shapesTypesAndLayouts")
    void recoversKnownSingularValues(int m, int n, DType dtype, SvdLayout layout) {
        int k = Math.min(m, n);
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) {
            sigma[i] = 10.0 / (1 + i) + 0.5; // distinct, descending, well separated
        }
        double[][] a = withSingularValues(m, n, sigma, new Random(7L * m + n));
        try (Tensor matrix = toTensor(a, dtype);
             SvdResult svd = Svd.thin(matrix, List.of(LapackSvd.GESDD, LapackSvd.GESVD), layout)) {
            assertSingularValues(sigma, svd.singularValues(), tolerance(dtype));
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void rankDeficientMatrixHasZeroTrailingSingularValues(DType dtype) {
        double[] sigma = new double[30];
        sigma[0] = 5;
        sigma[1] = 3;
        sigma[2] = 1; // rank 3
        double[][] a = withSingularValues(45, 30, sigma, new Random(3));
        try (Tensor matrix = toTensor(a, dtype); SvdResult svd = Svd.thin(matrix)) {
            assertSingularValues(sigma, svd.singularValues(), tolerance(dtype));
            assertFactorization(toArray(matrix), svd, tolerance(dtype));
        }
    }

    /** Singular values spread over 6 (F32) or 12 (F64) orders of magnitude: every one to within ε·σ_max. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void illConditionedMatrixKeepsOrthonormalFactorsAndAccurateSpectrum(DType dtype) {
        int k = 40;
        double smallest = dtype == DType.F64 ? 1e-12 : 1e-6;
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) {
            sigma[i] = Math.pow(smallest, i / (double) (k - 1)); // 1 down to `smallest`, geometrically
        }
        for (int[] shape : new int[][]{{k, 60}, {60, k}}) {
            double[][] a = withSingularValues(shape[0], shape[1], sigma, new Random(11));
            try (Tensor matrix = toTensor(a, dtype); SvdResult svd = Svd.thin(matrix)) {
                assertSingularValues(sigma, svd.singularValues(), tolerance(dtype));
                assertFactorization(toArray(matrix), svd, tolerance(dtype));
            }
        }
    }

    @Test
    void rowAndColumnVectorsHaveTheirNormAsSingleSingularValue() {
        double[] v = {3, -4, 12}; // norm 13
        try (Tensor row = Tensor.ofDoubles(Shape.of(1, 3), v); SvdResult svd = Svd.thin(row)) {
            assertArrayEquals(new double[]{13}, svd.singularValues(), 1e-13);
            double sign = Math.signum(svd.u().getDouble(0));
            assertEquals(1, Math.abs(svd.u().getDouble(0)), 1e-15);
            for (int j = 0; j < 3; j++) {
                assertEquals(v[j] / 13, sign * svd.vt().getDouble(j), 1e-15);
            }
        }
        try (Tensor column = Tensor.ofDoubles(Shape.of(3, 1), v); SvdResult svd = Svd.thin(column)) {
            assertArrayEquals(new double[]{13}, svd.singularValues(), 1e-13);
            double sign = Math.signum(svd.vt().getDouble(0));
            for (int i = 0; i < 3; i++) {
                assertEquals(v[i] / 13, sign * svd.u().getDouble(i), 1e-15);
            }
        }
    }

    @Test
    void inputIsNotModified() {
        for (int[] shape : new int[][]{{30, 20}, {20, 30}}) {
            try (Tensor matrix = toTensor(gaussian(shape[0], shape[1], SEED), DType.F32)) {
                float[] before = matrix.toFloatArray();
                Svd.thin(matrix).close();
                assertArrayEquals(before, matrix.toFloatArray(), "gesdd destroys its input: it must work on a copy");
            }
        }
    }

    @Test
    void halfPrecisionInputIsWidenedToF32() {
        double[] sigma = {4, 2, 1};
        double[][] a = withSingularValues(5, 3, sigma, new Random(5));
        for (DType half : List.of(DType.F16, DType.BF16)) {
            try (Tensor matrix = toTensor(a, half); SvdResult svd = Svd.thin(matrix)) {
                assertEquals(DType.F32, svd.dtype());
                // The input was rounded to 8 (bf16) or 11 (f16) bits: compare with the rounded matrix's own SVD.
                assertFactorization(toArray(matrix), svd, 1e-5);
                assertSingularValues(sigma, svd.singularValues(), 2e-2);
            }
        }
    }

    @Test
    void borrowedViewsAreDecomposedWithoutTouchingTheirOwner() {
        double[][] a = gaussian(40, 12, SEED);
        try (Tensor owner = toTensor(a, DType.F64);
             Tensor lowerHalf = owner.slice(20, 40);
             SvdResult svd = Svd.thin(lowerHalf)) {
            assertFactorization(Arrays.copyOfRange(a, 20, 40), svd, 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void gesvdRouteGivesTheSameDecomposition(DType dtype) {
        double[] sigma = {9, 7, 5, 3, 1, 0.5, 0.25};
        for (int[] shape : new int[][]{{7, 20}, {20, 7}, {7, 7}}) {
            double[][] a = withSingularValues(shape[0], shape[1], sigma, new Random(13));
            try (Tensor matrix = toTensor(a, dtype); SvdResult svd = Svd.thin(matrix, List.of(LapackSvd.GESVD))) {
                assertSingularValues(sigma, svd.singularValues(), tolerance(dtype));
                assertFactorization(toArray(matrix), svd, tolerance(dtype));
            }
        }
    }

    /** A stand-in for gesdd failing to converge: it also wrecks its input, as a real failed run may. */
    private static final SvdRoutine NON_CONVERGING = new FakeRoutine(1);

    @Test
    void fallsBackToGesvdOnAFreshCopyWhenTheFirstRoutineDoesNotConverge() {
        double[] sigma = {6, 4, 2, 1};
        for (int[] shape : new int[][]{{4, 9}, {9, 4}}) {
            double[][] a = withSingularValues(shape[0], shape[1], sigma, new Random(17));
            try (Tensor matrix = toTensor(a, DType.F64);
                 SvdResult svd = Svd.thin(matrix, List.of(NON_CONVERGING, LapackSvd.GESVD))) {
                assertSingularValues(sigma, svd.singularValues(), 1e-12);
                assertFactorization(a, svd, 1e-12);
            }
        }
    }

    @Test
    void noConvergingRoutineIsReportedWithTheMatrix() {
        try (Tensor matrix = toTensor(gaussian(6, 4, SEED), DType.F32)) {
            LapackException e = assertThrows(LapackException.class,
                    () -> Svd.thin(matrix, List.of(NON_CONVERGING, NON_CONVERGING)));
            assertEquals(1, e.info());
            assertTrue(e.getMessage().contains("did not converge"), e.getMessage());
            assertTrue(e.getMessage().contains("6x4"), e.getMessage());
        }
    }

    @Test
    void illegalArgumentIsNamed() {
        try (Tensor matrix = toTensor(gaussian(6, 4, SEED), DType.F32)) {
            LapackException e = assertThrows(LapackException.class,
                    () -> Svd.thin(matrix, List.of(new FakeRoutine(-6), LapackSvd.GESVD)));
            assertEquals(-6, e.info());
            assertTrue(e.getMessage().contains("argument 6 (lda)"), e.getMessage());
        }
    }

    @Test
    void nanAndInfinityAreRejectedNamingTheElement() {
        try (Tensor matrix = toTensor(gaussian(5, 8, SEED), DType.F32)) {
            matrix.setDouble(2 * 8 + 3, Double.NaN);
            matrix.setDouble(4 * 8 + 1, Double.NaN); // a later one: the message names the first
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svd.thin(matrix));
            assertTrue(e.getMessage().contains("NaN at (row 2, column 3)"), e.getMessage());
        }
        try (Tensor matrix = toTensor(gaussian(5, 8, SEED), DType.F64)) {
            matrix.setDouble(4 * 8 + 7, Double.NEGATIVE_INFINITY);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svd.thin(matrix));
            assertTrue(e.getMessage().contains("-Infinity at (row 4, column 7)"), e.getMessage());
        }
    }

    @Test
    void emptyAndNonMatrixInputsAreRejected() {
        try (Tensor empty = Tensor.allocate(DType.F32, Shape.of(0, 5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svd.thin(empty));
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
        }
        try (Tensor vector = Tensor.allocate(DType.F32, Shape.of(5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svd.thin(vector));
            assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> Svd.thin(null));
    }

    @Test
    void closedResultFailsLoudly() {
        Tensor u;
        SvdResult svd;
        try (Tensor matrix = toTensor(gaussian(8, 5, SEED), DType.F32)) {
            svd = Svd.thin(matrix);
            u = svd.u();
            svd.close();
        }
        assertTrue(svd.isClosed());
        assertThrows(IllegalStateException.class, svd::u);
        assertThrows(IllegalStateException.class, svd::s);
        assertThrows(IllegalStateException.class, svd::vt);
        assertThrows(IllegalStateException.class, svd::singularValues);
        assertThrows(IllegalStateException.class, () -> u.getDouble(0), "a factor taken before close must not read freed memory");
        svd.close(); // idempotent
    }

    /**
     * Every native allocation of an SVD (result and workspace) is returned when its result is closed, measured
     * on the C heap itself. 200 leaked results of this size would hold over 30 MB (more with their workspace);
     * the JIT and GC threads that allocate and free meanwhile move the count by a few MB, so 8 MB is allowed.
     */
    @Test
    @SuppressWarnings("try") // the single-threaded section is held, not referenced
    void repeatedDecompositionsReturnAllNativeMemory() {
        assumeTrue(NativeHeap.inUseBytes().isPresent(), "needs glibc's mallinfo2 to observe the C heap");
        long probeBytes = 64L << 20;
        long beforeProbe = NativeHeap.inUseBytes().orElseThrow();
        try (Tensor probe = Tensor.allocate(DType.F64, Shape.of(probeBytes / 8))) {
            long seen = NativeHeap.inUseBytes().orElseThrow() - beforeProbe;
            assertTrue(seen > probeBytes - (8 << 20), "a " + probe + " shows as " + seen + " bytes: the C heap count"
                    + " does not see arena memory, so this test would prove nothing");
        }
        long resultBytes = (128L * 96 + 96 + 96L * 96) * 8;
        // One BLAS thread: on a loaded machine, a pool spinning for matrices this small slows the loop 50-fold.
        try (var oneThread = OpenBlas.singleThreaded();
             Tensor tall = toTensor(gaussian(128, 96, SEED), DType.F64);
             Tensor wide = toTensor(gaussian(96, 128, SEED), DType.F64)) {
            for (int i = 0; i < 10; i++) { // warm up: JIT compilation allocates on the C heap too
                Svd.thin(i % 2 == 0 ? tall : wide).close();
            }
            long before = NativeHeap.inUseBytes().orElseThrow();
            for (int i = 0; i < 200; i++) {
                try (SvdResult svd = Svd.thin(i % 2 == 0 ? tall : wide)) {
                    assertEquals(96, svd.size());
                }
            }
            long growth = NativeHeap.inUseBytes().orElseThrow() - before;
            assertTrue(growth < 8 << 20, "the C heap grew by " + growth + " bytes over 200 closed SVDs (one result is "
                    + resultBytes + " bytes)");
        }
    }

    static void assertFactorization(double[][] a, SvdResult svd, double tolerance) {
        double[][] u = toArray(svd.u());
        double[] s = svd.singularValues();
        double[][] vt = toArray(svd.vt());
        int k = s.length;
        for (int i = 0; i < k; i++) {
            assertTrue(s[i] >= 0, "negative singular value " + s[i]);
            assertTrue(i == 0 || s[i] <= s[i - 1], "singular values not descending: " + Arrays.toString(s));
        }
        double relative = frobeniusDistance(reconstruct(u, s, vt), a) / frobenius(a);
        assertTrue(relative <= tolerance, "||U·S·Vt - A|| / ||A|| = " + relative + " > " + tolerance);
        double uOrthogonality = maxDistance(multiply(transpose(u), u), identity(k));
        assertTrue(uOrthogonality <= tolerance, "max |UᵀU - I| = " + uOrthogonality + " > " + tolerance);
        double vOrthogonality = maxDistance(multiply(vt, transpose(vt)), identity(k));
        assertTrue(vOrthogonality <= tolerance, "max |V·Vᵀ - I| = " + vOrthogonality + " > " + tolerance);
    }

    static void assertSingularValues(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double scale = Arrays.stream(expected).max().orElse(1);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * scale, "singular value " + i + " of " + Arrays.toString(actual));
        }
    }

    private record FakeRoutine(int info) implements SvdRoutine {
        @Override
        public String function(DType dtype) {
            return "LAPACKE_fake";
        }

        @Override
        public List<String> argumentNames() {
            return LapackSvd.GESDD.argumentNames();
        }

        @Override
        public int run(LapackSvdCall call, Arena workspace) {
            MemorySegment a = call.a();
            a.fill((byte) 0x7F); // about 3.4e38 in every float: garbage that no later routine may decompose
            call.s().fill((byte) 0x7F);
            return info;
        }
    }
}
