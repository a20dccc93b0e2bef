package dev.wsvd.eval;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SentenceEmbeddingsTest {

    @Test
    void meanPoolingAveragesOnlyMaskedInPositionsThenNormalises() {
        int rows = 2;
        int length = 3;
        int dim = 2;
        // row 0: tokens (1, 0), (3, 4), padding (100, 100); row 1: token (0, -2), padding, padding
        float[] hidden = {
                1, 0, 3, 4, 100, 100,
                0, -2, 50, 50, 50, 50};
        long[] mask = {1, 1, 0, 1, 0, 0};
        float[] first = SentenceEmbeddings.meanPool(FloatBuffer.wrap(hidden), 0, length, dim, mask);
        // mean (2, 2) -> unit (1/sqrt 2, 1/sqrt 2)
        float half = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {half, half}, first, 1e-7f);
        float[] second = SentenceEmbeddings.meanPool(FloatBuffer.wrap(hidden), 1, length, dim, mask);
        assertArrayEquals(new float[] {0, -1}, second, 0f);
        assertEquals(rows * length * dim, hidden.length);
    }

    @Test
    void meanPoolingMatchesABruteForceOnRandomStates() {
        Random random = new Random(3);
        int length = 7;
        int dim = 16;
        float[] hidden = new float[length * dim];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) random.nextGaussian();
        }
        long[] mask = {1, 1, 1, 1, 1, 0, 0};
        double[] mean = new double[dim];
        for (int position = 0; position < 5; position++) {
            for (int d = 0; d < dim; d++) {
                mean[d] += hidden[position * dim + d] / 5.0;
            }
        }
        double norm = Math.sqrt(java.util.Arrays.stream(mean).map(v -> v * v).sum());
        float[] pooled = SentenceEmbeddings.meanPool(FloatBuffer.wrap(hidden), 0, length, dim, mask);
        for (int d = 0; d < dim; d++) {
            assertEquals(mean[d] / norm, pooled[d], 1e-6); // float rounding of unit-scale values
        }
    }

    @Test
    void zeroVectorStaysZero() {
        assertArrayEquals(new float[3], SentenceEmbeddings.normalize(new double[3]), 0f);
    }

    @Test
    void retrievalCountsQueriesWhosePartnerIsNearestInBothDirections() {
        float[] x = {1, 0};
        float[] y = {0, 1};
        float[] xy = {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)};
        // Pairs are (first, second) = (embeddings[2p], embeddings[2p + 1]).
        // pair 0 = (x, x), pair 1 = (y, x): x->{x, x} ties, lower index wins: right; x->{x, y}: right;
        // y->{x, x}: 0 and 0, tie to pair 0: wrong; x->{x, y}: pair 0: wrong.
        float[][] embeddings = {x, x, y, x};
        assertEquals(2.0 / 4, SentenceEmbeddings.retrievalAccuracy(embeddings), 0.0);
        float[][] perfect = {x, x, y, y};
        assertEquals(1.0, SentenceEmbeddings.retrievalAccuracy(perfect), 0.0);
        float[][] withDiagonal = {x, x, y, xy};
        // pair 1 = (y, xy): y->{x, xy}: 0 vs 0.71, right; xy->{x, y}: an exact tie, pair 0 wins: wrong.
        assertEquals(3.0 / 4, SentenceEmbeddings.retrievalAccuracy(withDiagonal), 0.0);
    }
}
