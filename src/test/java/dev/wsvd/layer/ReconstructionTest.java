package dev.wsvd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Multiplying a pair back out gives the exact rank-r weight (known from its construction), and the explicit
 * error agrees with the one predicted from the singular values. f64 throughout: agreement to 1e-12.
 */
class ReconstructionTest {

    @Test
    void linearPairMultipliesBackToTheTruncatedWeight() {
        Random random = new Random(31);
        TestMatrices matrix = TestMatrices.withSpectrum(7, 10, TestMatrices.geometricSpectrum(7), random);
        LinearGeometry geometry = new LinearGeometry(10, 7, false);
        try (Tensor w = Tensor.ofDoubles(Shape.of(7, 10), matrix.full());
             LayerSvd svd = LayerSvd.decompose(geometry, w);
             FactorPair pair = svd.factors(3, SingularValuePlacement.BALANCED);
             Tensor product = Reconstruction.weight(geometry, pair)) {
            assertArrayEquals(new long[] {7, 10}, product.shape().toArray());
            assertArrayEquals(matrix.truncated(3), product.toDoubleArray(), 1e-12);
            assertEquals(svd.relativeError(3), Reconstruction.relativeError(geometry, w, pair), 1e-12);
        }
    }

    @Test
    void groupedConvPairMultipliesBackToTheTruncatedWeight() {
        Random random = new Random(32);
        ConvCase layer = new ConvCase(ConvGeometry.builder(6, 4, 3, 2).groups(2).bias(true).build(), new long[] {5, 5}, random);
        try (Tensor w = layer.weightTensor(DType.F64);
             Tensor b = layer.biasTensor(DType.F64);
             LayerSvd svd = LayerSvd.decompose(layer.geometry, w, b)) {
            for (int rank = 2; rank <= svd.maxRank(); rank += 2) {
                try (FactorPair pair = svd.factors(rank);
                     Tensor product = Reconstruction.weight(layer.geometry, pair)) {
                    assertArrayEquals(w.shape().toArray(), product.shape().toArray());
                    assertArrayEquals(layer.weight(rank), product.toDoubleArray(), 1e-12, "rank " + rank);
                    assertEquals(svd.relativeError(rank), Reconstruction.relativeError(layer.geometry, w, pair), 1e-12);
                }
            }
        }
    }

    @Test
    void pairsThatDoNotFitTheLayerAreRejected() {
        try (Tensor a = Tensor.allocate(DType.F32, Shape.of(2, 5));
             Tensor b = Tensor.allocate(DType.F32, Shape.of(3, 2))) {
            FactorPair pair = new FactorPair(2, a, null, b, null);
            assertThrows(IllegalArgumentException.class, () -> Reconstruction.weight(new LinearGeometry(4, 3, false), pair));
            try (Tensor product = Reconstruction.weight(new LinearGeometry(5, 3, false), pair)) {
                assertEquals(Shape.of(3, 5), product.shape());
            }
        }
    }
}
