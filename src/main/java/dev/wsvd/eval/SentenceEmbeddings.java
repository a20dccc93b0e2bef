package dev.wsvd.eval;

import java.nio.FloatBuffer;

/**
 * Sentence embeddings as sentence-transformers computes them for models like all-MiniLM-L6-v2: the mean of
 * the token vectors weighted by the attention mask, scaled to unit length; and the comparisons the fidelity
 * score needs. Sums run in double so the result does not depend on the order of a few hundred terms.
 */
public final class SentenceEmbeddings {
    private SentenceEmbeddings() {
    }

    /**
     * Mean-pools row {@code row} of a {@code rows x length x dim} hidden-state tensor over the positions whose
     * mask is non-zero, and normalises it (a zero vector stays zero).
     */
    static float[] meanPool(FloatBuffer hidden, int row, int length, int dim, long[] mask) {
        double[] sum = new double[dim];
        long count = 0;
        for (int position = 0; position < length; position++) {
            long weight = mask[row * length + position];
            if (weight == 0) {
                continue;
            }
            count += weight;
            int base = (row * length + position) * dim;
            for (int d = 0; d < dim; d++) {
                sum[d] += weight * (double) hidden.get(base + d);
            }
        }
        if (count > 0) {
            for (int d = 0; d < dim; d++) {
                sum[d] /= count;
            }
        }
        return normalize(sum);
    }

    /** Row {@code row} of an already pooled {@code rows x dim} tensor, normalised. */
    static float[] pooledRow(FloatBuffer pooled, int row, int dim) {
        double[] vector = new double[dim];
        for (int d = 0; d < dim; d++) {
            vector[d] = pooled.get(row * dim + d);
        }
        return normalize(vector);
    }

    static float[] normalize(double[] vector) {
        double squares = 0;
        for (double v : vector) {
            squares += v * v;
        }
        double norm = Math.sqrt(squares);
        float[] unit = new float[vector.length];
        if (norm > 0) {
            for (int d = 0; d < vector.length; d++) {
                unit[d] = (float) (vector[d] / norm);
            }
        }
        return unit;
    }

    /** Dot product; the cosine of two unit vectors. */
    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (double) a[d] * b[d];
        }
        return sum;
    }

    /**
     * Top-1 retrieval accuracy over pairs stored as sentences {@code 2p} (first) and {@code 2p + 1} (second):
     * each first sentence queries all second sentences and each second sentence all first sentences; a query
     * is right when its partner is the most similar (ties go to the lower index). Returns the fraction of the
     * {@code 2 x pairs} queries that are right.
     */
    public static double retrievalAccuracy(float[][] embeddings) {
        int pairs = embeddings.length / 2;
        int right = 0;
        for (int query = 0; query < embeddings.length; query++) {
            int side = query % 2;
            int otherSide = 1 - side;
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int pair = 0; pair < pairs; pair++) {
                double score = dot(embeddings[query], embeddings[2 * pair + otherSide]);
                if (score > bestScore) {
                    best = pair;
                    bestScore = score;
                }
            }
            if (best == query / 2) {
                right++;
            }
        }
        return (double) right / embeddings.length;
    }
}
