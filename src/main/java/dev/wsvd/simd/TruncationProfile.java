package dev.wsvd.simd;

import dev.wsvd.tensor.Tensor;

/**
 * The error of truncating a matrix to every rank at once, from its singular values alone.
 *
 * <p>For singular values {@code s[0] >= s[1] >= ... >= s[k-1] >= 0} of a matrix {@code W}, the best rank-r
 * approximation {@code W_r} (Eckart-Young) has {@code ||W - W_r||_F^2 = sum_{i >= r} s_i^2}. This class holds
 * that squared error for every {@code r = 0..k} (rank 0 is the whole squared norm, rank k is 0) and the relative
 * Frobenius error {@code ||W - W_r||_F / ||W||_F = sqrt(err(r) / err(0))}, defined as 0 for an all-zero spectrum.
 *
 * <p><b>How it is computed, and why.</b> Each error is a suffix sum taken directly, from the smallest value up,
 * never {@code total - prefix}: subtracting two nearly equal large numbers would leave only rounding noise for
 * the small tail errors at high ranks, which are the ones rank selection looks at. The sums run in
 * {@code double} even for an f32 spectrum: the square of a float is exact in double, the additions round at
 * 2<sup>-53</sup>, and with all terms non-negative each suffix sum is within {@code (k - r) * 2^-53} of its exact
 * value relative to itself. Before squaring, the values are scaled by a power of two that brings the largest
 * to about 1, which is exact and keeps huge (above 1e154) or tiny (below 1e-154) spectra from overflowing or
 * flushing to zero. One pass, O(k): a dependent chain of k additions, too short to gain from vectors.
 */
public final class TruncationProfile {
    /** {@code scaled[r] = sum_{i >= r} (s_i * 2^-exponent)^2}, length k + 1. */
    private final double[] scaledSquaredErrors;
    private final int exponent;

    private TruncationProfile(double[] scaledSquaredErrors, int exponent) {
        this.scaledSquaredErrors = scaledSquaredErrors;
        this.exponent = exponent;
    }

    /**
     * The profile of a spectrum.
     *
     * @param singularValues finite, non-negative, in descending order (as LAPACK returns them)
     * @throws IllegalArgumentException naming the first value that is NaN, infinite, negative or out of order
     */
    public static TruncationProfile of(double... singularValues) {
        int k = singularValues.length;
        for (int i = 0; i < k; i++) {
            double value = singularValues[i];
            if (!Double.isFinite(value) || value < 0) {
                throw new IllegalArgumentException("singular value " + i + " is " + value + "; singular values are finite and non-negative");
            }
            if (i > 0 && value > singularValues[i - 1]) {
                throw new IllegalArgumentException("singular values must be in descending order, but value " + i + " (" + value
                        + ") exceeds value " + (i - 1) + " (" + singularValues[i - 1] + ")");
            }
        }
        // Scale by 2^-e with s[0] in [1, 2): exact (a power of two), and no square can overflow.
        int exponent = k == 0 || singularValues[0] == 0 ? 0 : Math.getExponent(singularValues[0]);
        double[] scaled = new double[k + 1];
        double sum = 0;
        for (int i = k - 1; i >= 0; i--) {
            double value = Math.scalb(singularValues[i], -exponent);
            sum += value * value;
            scaled[i] = sum;
        }
        return new TruncationProfile(scaled, exponent);
    }

    /** The profile of an f32 spectrum, computed in double (see the class notes). */
    public static TruncationProfile of(float... singularValues) {
        double[] widened = new double[singularValues.length];
        for (int i = 0; i < widened.length; i++) {
            widened[i] = singularValues[i];
        }
        return of(widened);
    }

    /** The profile of a 1-D tensor of singular values (any dtype; f16/bf16/f32 widen exactly). */
    public static TruncationProfile of(Tensor singularValues) {
        if (singularValues.shape().rank() != 1) {
            throw new IllegalArgumentException("singular values must be a 1-D tensor, got shape " + singularValues.shape());
        }
        return of(singularValues.toDoubleArray());
    }

    /** Number of singular values k; ranks run from 0 to k. */
    public int maxRank() {
        return scaledSquaredErrors.length - 1;
    }

    /** {@code ||W||_F^2 = sum s_i^2}, the squared error of rank 0. */
    public double squaredNorm() {
        return squaredError(0);
    }

    /** {@code ||W - W_r||_F^2 = sum_{i >= r} s_i^2}. */
    public double squaredError(int rank) {
        return Math.scalb(scaledSquaredErrors[checkRank(rank)], 2 * exponent);
    }

    /** {@code ||W - W_r||_F / ||W||_F}, in [0, 1]; 0 for every rank of an all-zero spectrum. */
    public double relativeError(int rank) {
        double total = scaledSquaredErrors[0];
        return total == 0 ? 0 : Math.sqrt(scaledSquaredErrors[checkRank(rank)] / total);
    }

    /** Fraction of {@code sum s_i^2} that rank r keeps: {@code 1 - err(r) / err(0)}; 1 for an all-zero spectrum. */
    public double retainedEnergy(int rank) {
        double total = scaledSquaredErrors[0];
        return total == 0 ? 1 : 1 - scaledSquaredErrors[checkRank(rank)] / total;
    }

    /** {@link #squaredError} for every rank 0..k. */
    public double[] squaredErrors() {
        double[] errors = new double[scaledSquaredErrors.length];
        for (int r = 0; r < errors.length; r++) {
            errors[r] = squaredError(r);
        }
        return errors;
    }

    /** {@link #relativeError} for every rank 0..k. */
    public double[] relativeErrors() {
        double[] errors = new double[scaledSquaredErrors.length];
        for (int r = 0; r < errors.length; r++) {
            errors[r] = relativeError(r);
        }
        return errors;
    }

    /**
     * The smallest rank keeping at least {@code fraction} of {@code sum s_i^2}. A fraction of 1 gives the number
     * of non-zero singular values. The result can be 0 (for fraction 0 or an all-zero spectrum); callers that
     * need a usable layer clamp it to their minimum rank.
     */
    public int smallestRankRetaining(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("energy fraction must be in [0, 1], got " + fraction);
        }
        // retained(r) >= fraction  <=>  err(r) <= (1 - fraction) * err(0), compared without dividing
        return firstRankAtMost((1 - fraction) * scaledSquaredErrors[0]);
    }

    /** The smallest rank whose relative Frobenius error is at most {@code maxRelativeError} (0 allowed). */
    public int smallestRankWithin(double maxRelativeError) {
        if (!(maxRelativeError >= 0)) {
            throw new IllegalArgumentException("relative error bound must be non-negative, got " + maxRelativeError);
        }
        return firstRankAtMost(maxRelativeError * maxRelativeError * scaledSquaredErrors[0]);
    }

    /** Errors fall with rank (each suffix sum adds a non-negative term, never lowering a rounded sum). */
    private int firstRankAtMost(double scaledBound) {
        int rank = 0;
        while (scaledSquaredErrors[rank] > scaledBound) {
            rank++; // terminates: scaledSquaredErrors[k] == 0 <= any non-negative bound
        }
        return rank;
    }

    private int checkRank(int rank) {
        if (rank < 0 || rank > maxRank()) {
            throw new IndexOutOfBoundsException("rank " + rank + " is outside 0.." + maxRank());
        }
        return rank;
    }

    @Override
    public String toString() {
        return "TruncationProfile[k=" + maxRank() + ", ||W||_F^2=" + squaredNorm() + "]";
    }
}
