package dev.wsvd.layer;

import static dev.wsvd.layer.OutputOptimum.columnOutputError;
import static dev.wsvd.layer.OutputOptimum.gram;
import static dev.wsvd.layer.OutputOptimum.subtract;
import static dev.wsvd.layer.OutputOptimum.sumOfSquares;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.linalg.Cholesky;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The data-aware split of a Linear layer against independent truth ({@link OutputOptimum}): the optimum of
 * {@code ||(W - W')·X||} over rank r from an SVD of the outputs {@code W·X} themselves, and output errors summed
 * directly from the inputs. f64 throughout; {@code W_r} is always multiplied back out of the factor pair
 * ({@link Reconstruction}), so the factor layouts are checked too.
 *
 * <p>Tolerances.
 * <ul>
 *   <li>{@code W_r} against the optimum, 1e-6 relative (the bar). Both sides find the same rank-r subspace
 *       of the output side by different routes (Cholesky, {@code W·L}, SVD; or {@code W·X}, SVD). Each route's
 *       backward errors are of order {@code n·ε} of the matrices involved, and they move the subspace by at most
 *       that over the relative gap {@code (σ_r² - σ_{r+1}²) / σ_1²} (Davis–Kahan). The tests assert that gap is
 *       above 1e-3 at every rank they check, so the bound is about {@code n·ε / 1e-3 ≈ 1e-15 / 1e-3 = 1e-12}; measured at
 *       most 2e-15. 1e-6 is far above rounding and far below any real defect (a wrong subspace or layout moves
 *       {@code W_r} by order 1).</li>
 *   <li>Output errors and energies, 1e-9 of the output energy {@code ||W·X||²}: each side is a sum of squares of
 *       quantities with relative errors of a few {@code n·ε}; measured at most 3e-15.</li>
 *   <li>Weight errors, 1e-9 absolute on a relative error: the same argument.</li>
 * </ul>
 */
class DataAwareLinearTest {
    private static final double SUBSPACE_TOLERANCE = 1e-6;
    private static final double ENERGY_TOLERANCE = 1e-9;
    private static final double MIN_RELATIVE_GAP = 1e-3;

    /** A layer and the inputs it sees: {@code x} holds {@code n} input rows of {@code in} features. */
    private record Case(int out, int in, double[] w, double[] x, int n) {
        static Case random(int out, int in, int n, Random random) {
            double[] w = random.doubles((long) out * in, -1, 1).toArray();
            // correlated features with unequal scales, so G is far from a multiple of the identity
            double[] mixing = random.doubles((long) in * in, -1, 1).toArray();
            for (int j = 0; j < in; j++) {
                mixing[j * in + j] += 1 + j;
            }
            double[] z = random.doubles((long) n * in).map(v -> v - 0.5).toArray();
            return new Case(out, in, w, OutputOptimum.multiply(z, n, in, mixing, in), n);
        }

        LinearGeometry geometry() {
            return new LinearGeometry(in, out, false);
        }

        Tensor weight() {
            return Tensor.ofDoubles(Shape.of(out, in), w);
        }

        Tensor gramTensor() {
            return Tensor.ofDoubles(Shape.of(in, in), gram(x, n, in));
        }

        double outputEnergy() {
            return columnOutputError(w, out, in, x, n);
        }
    }

    @Test
    void approximationIsTheOptimumOfTheOutputErrorAndPredictsIt() {
        Random random = new Random(101);
        for (Case layer : new Case[] {Case.random(7, 10, 40, random), Case.random(12, 6, 30, random)}) {
            double energy = layer.outputEnergy();
            double[] outputSpectrum = OutputOptimum.outputSpectrum(layer.w, layer.out, layer.in, layer.x, layer.n);
            try (Tensor w = layer.weight(); Tensor g = layer.gramTensor();
                 LayerSvd svd = LayerSvd.decompose(layer.geometry(), w, null, g)) {
                assertTrue(svd.isDataAware());
                assertEquals(0.0, svd.relativeGramShift(), "full-row-rank inputs need no shift");
                double[] sigma = svd.singularValues(0);
                assertEquals(energy, sumOfSquares(sigma), ENERGY_TOLERANCE * energy, "Σ σ_i² is the output energy ||W·X||²");
                RankProfile profile = svd.profile();
                for (int rank = 1; rank <= svd.maxRank(); rank++) {
                    double[] wr = multipliedOut(svd, layer.geometry(), rank);
                    if (rank < svd.maxRank()) {
                        double gap = (outputSpectrum[rank - 1] * outputSpectrum[rank - 1] - outputSpectrum[rank] * outputSpectrum[rank])
                                / (outputSpectrum[0] * outputSpectrum[0]);
                        assertTrue(gap > MIN_RELATIVE_GAP, "test data: the rank-" + rank + " subspace is well separated (gap " + gap + ")");
                    }
                    double[] optimum = OutputOptimum.ofColumnInputs(layer.w, layer.out, layer.in, layer.x, layer.n, rank);
                    LayerSvdTest.assertClose(optimum, wr, SUBSPACE_TOLERANCE, layer.geometry() + " W_r at rank " + rank);

                    double direct = columnOutputError(subtract(layer.w, wr), layer.out, layer.in, layer.x, layer.n);
                    double predicted = tail(sigma, rank);
                    assertEquals(direct, predicted, ENERGY_TOLERANCE * energy, "output error at rank " + rank);
                    assertEquals(Math.sqrt(direct / energy), svd.relativeOutputError(rank), ENERGY_TOLERANCE, "relative, rank " + rank);
                    assertEquals(svd.relativeOutputError(rank), profile.outputError()[rank - 1]);

                    double weightError = Math.sqrt(sumOfSquares(subtract(layer.w, wr)) / sumOfSquares(layer.w));
                    assertEquals(weightError, svd.relativeError(rank), ENERGY_TOLERANCE, "weight error at rank " + rank);
                    assertEquals(svd.relativeError(rank), profile.weightError()[rank - 1]);
                }
            }
        }
    }

    /**
     * Fewer input rows than features: {@code G} is singular, the Cholesky factor exists only for
     * {@code G + s·I}, and the split minimises {@code ||Δ·X||² + s·||Δ||²} instead. The tolerance follows from that
     * identity: {@code ||Δ·L||² = tr(Δ·(G + s·I)·Δᵀ) = ||Δ·X||² + s·||Δ||²}, so the predicted tail exceeds the
     * direct output error by exactly {@code s·||W - W_r||²}, which is at most {@code s·||W||²} (the approximation is
     * a projection of W). Checked to rounding (1e-9 of the shifted energy).
     */
    @Test
    void rankDeficientInputsWorkThroughTheShiftAndSaySo() {
        Random random = new Random(102);
        Case layer = Case.random(6, 8, 5, random); // 5 rows for 8 features
        double[] g = gram(layer.x, layer.n, layer.in);
        double meanDiagonal = 0;
        for (int j = 0; j < layer.in; j++) {
            meanDiagonal += g[j * layer.in + j] / layer.in;
        }
        try (Tensor w = layer.weight(); Tensor gt = layer.gramTensor();
             LayerSvd svd = LayerSvd.decompose(layer.geometry(), w, null, gt)) {
            assertTrue(svd.relativeGramShift() >= Cholesky.INITIAL_RELATIVE_SHIFT, "shift " + svd.relativeGramShift());
            assertTrue(svd.toString().contains("Gram shifted by " + svd.relativeGramShift()), svd.toString());
            double shift = svd.relativeGramShift() * meanDiagonal;
            double[] sigma = svd.singularValues(0);
            double shiftedEnergy = sumOfSquares(sigma);
            assertEquals(layer.outputEnergy() + shift * sumOfSquares(layer.w), shiftedEnergy, ENERGY_TOLERANCE * shiftedEnergy);
            for (int rank = 1; rank <= svd.maxRank(); rank++) {
                double[] delta = subtract(layer.w, multipliedOut(svd, layer.geometry(), rank));
                double direct = columnOutputError(delta, layer.out, layer.in, layer.x, layer.n);
                double predicted = tail(sigma, rank);
                double excess = shift * sumOfSquares(delta);
                assertEquals(predicted - excess, direct, ENERGY_TOLERANCE * shiftedEnergy, "rank " + rank);
                assertTrue(excess <= shift * sumOfSquares(layer.w) * (1 + ENERGY_TOLERANCE), "rank " + rank);
            }
            // five input rows span five directions: rank 5 keeps all of the output but what the shift adds
            assertTrue(svd.relativeOutputError(5) < 1e-2, "rank 5: " + svd.relativeOutputError(5));
        }
    }

    @Test
    void fullRankPairReproducesTheWeight() {
        Random random = new Random(103);
        for (Case layer : new Case[] {Case.random(7, 10, 40, random), Case.random(12, 6, 30, random)}) {
            try (Tensor w = layer.weight(); Tensor g = layer.gramTensor();
                 LayerSvd svd = LayerSvd.decompose(layer.geometry(), w, null, g)) {
                LayerSvdTest.assertClose(layer.w, multipliedOut(svd, layer.geometry(), svd.maxRank()), 1e-12, layer.geometry().toString());
                assertEquals(0.0, svd.relativeError(svd.maxRank()), 1e-7, "sqrt of a tail of rounding: 1e-14 squared-relative");
                assertEquals(0.0, svd.relativeOutputError(svd.maxRank()));
            }
        }
    }

    /**
     * With {@code G = c·I} every direction of the input is equally present, so the output error is {@code c} times
     * the weight error and the data-aware split is the plain one: same {@code W_r} (the spectrum is distinct, so
     * the subspaces are unique), and the output error equals the weight error. 1e-10: both are f64 SVDs of the same
     * matrix up to the factor {@code sqrt(c)}.
     */
    @Test
    void aMultipleOfTheIdentityGivesThePlainSplit() {
        Random random = new Random(104);
        TestMatrices matrix = TestMatrices.withSpectrum(9, 7, TestMatrices.geometricSpectrum(7), random);
        LinearGeometry geometry = new LinearGeometry(7, 9, true);
        double[] identity = new double[49];
        for (int j = 0; j < 7; j++) {
            identity[j * 7 + j] = 3.7;
        }
        try (Tensor w = Tensor.ofDoubles(Shape.of(9, 7), matrix.full());
             Tensor bias = Tensor.ofDoubles(Shape.of(9), random.doubles(9).toArray());
             Tensor g = Tensor.ofDoubles(Shape.of(7, 7), identity);
             LayerSvd plain = LayerSvd.decompose(geometry, w, bias);
             LayerSvd dataAware = LayerSvd.decompose(geometry, w, bias, g)) {
            assertEquals(0.0, dataAware.relativeGramShift());
            for (int rank = 1; rank <= 7; rank++) {
                LayerSvdTest.assertClose(multipliedOut(plain, geometry, rank), multipliedOut(dataAware, geometry, rank), 1e-10, "rank " + rank);
                assertEquals(plain.relativeError(rank), dataAware.relativeError(rank), 1e-10, "rank " + rank);
                assertEquals(dataAware.relativeError(rank), dataAware.relativeOutputError(rank), 1e-10, "rank " + rank);
            }
        }
    }

    static double[] multipliedOut(LayerSvd svd, LayerGeometry geometry, int rank) {
        try (FactorPair pair = svd.factors(rank); Tensor product = Reconstruction.weight(geometry, pair)) {
            return product.toDoubleArray();
        }
    }

    /** {@code Σ_{i≥r} σ_i²}, 0-based: the squared singular values dropped by keeping r. */
    static double tail(double[] sigma, int rank) {
        double sum = 0;
        for (int i = sigma.length - 1; i >= rank; i--) {
            sum += sigma[i] * sigma[i];
        }
        return sum;
    }
}
