package dev.wsvd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The one owner of the Conv weight layout against independent truth: {@link ConvCase} assembles a weight from
 * known group matrices with the reshape written out from its definition, {@code W[g·n + o, c, t] = M_g[c, o·k + t]},
 * and index loops here read the stored blocks. Copies only move elements, so everything is exact.
 */
class WeightLayoutTest {

    private static List<ConvGeometry> geometries() {
        return List.of(
                ConvGeometry.builder(6, 8, 3, 3).build(),              // one group, square kernel
                ConvGeometry.builder(6, 9, 2, 3).groups(3).build(),    // grouped, non-square kernel
                ConvGeometry.builder(5, 7, 3).build(),                 // Conv1d
                ConvGeometry.builder(8, 4, 1, 1).groups(2).build());   // 1x1, as a first factor is
    }

    @Test
    void groupMatricesAreTheReferenceReshapeOfEachGroup() {
        Random random = new Random(41);
        for (ConvGeometry geometry : geometries()) {
            ConvCase layer = new ConvCase(geometry, new long[geometry.spatialAxes()], random);
            WeightLayout layout = WeightLayout.of(geometry);
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                try (Tensor w = layer.weightTensor(dtype)) {
                    for (int group = 0; group < geometry.groups(); group++) {
                        try (Tensor matrix = layout.groupMatrix(w, group);
                             Tensor expected = ConvCase.tensor(dtype, layer.groupMatrices[group].full(),
                                     new int[] {geometry.inChannels() / geometry.groups(), Math.toIntExact(matrix.shape().dim(1))})) {
                            assertEquals(expected.shape(), matrix.shape(), geometry + " group " + group);
                            assertArrayEquals(expected.toDoubleArray(), matrix.toDoubleArray(), 0.0, geometry + " " + dtype + " group " + group);
                        }
                    }
                }
            }
        }
    }

    @Test
    void settingEveryGroupMatrixRebuildsTheWeight() {
        Random random = new Random(42);
        for (ConvGeometry geometry : geometries()) {
            WeightLayout layout = WeightLayout.of(geometry);
            Shape shape = geometry.weightShape();
            try (Tensor w = Tensor.ofDoubles(shape, random.doubles(shape.size(), -1, 1).toArray());
                 Tensor rebuilt = Tensor.allocate(DType.F64, shape)) {
                for (int group = 0; group < geometry.groups(); group++) {
                    try (Tensor matrix = layout.groupMatrix(w, group)) {
                        layout.setGroupMatrix(rebuilt, group, matrix);
                    }
                }
                assertArrayEquals(w.toDoubleArray(), rebuilt.toDoubleArray(), 0.0, geometry.toString());
            }
        }
    }

    /** A first factor {@code r x m x 1...}: its group matrix is {@code A_jᵀ}, and its stored rows are {@code A_j}. */
    @Test
    void aFirstFactorsGroupMatrixIsTheTransposeOfItsRows() {
        ConvGeometry original = ConvGeometry.builder(6, 9, 2, 3).groups(3).build();
        int rank = 6; // 2 per group
        ConvGeometry first = (ConvGeometry) PairGeometry.of(original, rank).first();
        WeightLayout layout = WeightLayout.of(first);
        Shape shape = first.weightShape();
        assertEquals(Shape.of(6, 2, 1, 1), shape);
        double[] values = new double[12];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        try (Tensor a = Tensor.ofDoubles(shape, values)) {
            for (int group = 0; group < 3; group++) {
                try (Tensor matrix = layout.groupMatrix(a, group); Tensor rows = layout.groupRows(a, group)) {
                    assertEquals(Shape.of(2, 2), matrix.shape());
                    assertEquals(Shape.of(2, 2), rows.shape());
                    for (int j = 0; j < 2; j++) {
                        for (int c = 0; c < 2; c++) {
                            double stored = values[(group * 2 + j) * 2 + c]; // A[group·q + j, c, 0, 0]
                            assertEquals(stored, matrix.get(c, j), "matrix(A) = A_jᵀ");
                            assertEquals(stored, rows.get(j, c), "rows = A_j");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aLinearWeightIsItsOwnGroupMatrix() {
        try (Tensor w = Tensor.ofDoubles(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
             Tensor copy = Tensor.allocate(DType.F64, Shape.of(2, 3))) {
            WeightLayout layout = WeightLayout.of(new LinearGeometry(3, 2, false));
            try (Tensor matrix = layout.groupMatrix(w, 0)) {
                assertArrayEquals(w.toDoubleArray(), matrix.toDoubleArray(), 0.0);
                layout.setGroupMatrix(copy, 0, matrix);
            }
            assertArrayEquals(w.toDoubleArray(), copy.toDoubleArray(), 0.0);
        }
    }

    /** A group's inputs are its own channels, so its Gram is the diagonal block of them: read here by index. */
    @Test
    void aGroupsGramIsTheDiagonalBlockOfItsInputChannels() {
        ConvGeometry grouped = ConvGeometry.builder(6, 9, 2, 3).groups(3).build(); // 2 input channels per group
        double[] values = new double[36];
        for (int i = 0; i < values.length; i++) {
            values[i] = i; // G[a][b] = 6a + b: every element distinguishable
        }
        try (Tensor gram = Tensor.ofDoubles(Shape.of(6, 6), values)) {
            WeightLayout layout = WeightLayout.of(grouped);
            for (int group = 0; group < 3; group++) {
                int c = 2 * group;
                try (Tensor block = layout.groupGram(gram, group)) {
                    assertArrayEquals(new double[] {6 * c + c, 6 * c + c + 1, 6 * (c + 1) + c, 6 * (c + 1) + c + 1},
                            block.toDoubleArray(), 0.0, "group " + group);
                }
            }
            try (Tensor whole = WeightLayout.of(new LinearGeometry(6, 4, false)).groupGram(gram, 0)) {
                assertArrayEquals(values, whole.toDoubleArray(), 0.0, "a Linear layer reads all of its inputs");
            }
        }
    }
}
