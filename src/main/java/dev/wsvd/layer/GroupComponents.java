package dev.wsvd.layer;

import dev.wsvd.linalg.SvdResult;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.util.Objects;

/**
 * One group's matrix as a sum of rank-one components, the most important first,
 * {@code matrix = Σ_j left[:, j]·scale_j·right[j, :]}, from which the factors of any rank are formed: the rank-q
 * truncation is {@code left[:, :q]·diag(scale[:q])·right[:q, :]}, with each component's scale put on the left
 * factor, on the right one, or split evenly (its square root on each side). The same product either way.
 * <ul>
 *   <li>Plain SVD {@code U·S·Vᵀ}: left {@code U}, scales {@code S}, right {@code Vᵀ}; both sides orthonormal, the
 *       scales kept apart.</li>
 *   <li>Data-aware ({@link WhitenedSvd}): one side is an orthonormal basis of the output side of the matrix, the
 *       other holds the matrix's coordinates in that basis, which carry the scale already ("folded" in); the
 *       scale of component j is the norm of its coordinate vector.</li>
 * </ul>
 * Either way one side is orthonormal, so the components are orthogonal matrices, the scale of each is its
 * Frobenius norm, and the squared weight error of keeping the first q is {@code Σ_{j≥q} scale_j²}.
 *
 * <p>The components own their memory (or the SVD result they view) and free it on {@link #close()}. Forming
 * factors only reads them, so several threads may do it at once.
 */
final class GroupComponents implements AutoCloseable {
    /** Which factor of the product {@code left·right} carries the scales. */
    enum ScaleSide {
        LEFT, RIGHT, BOTH
    }

    private final Tensor left;        // p x k, in the factors' type
    private final double[] scales;    // k: the components' Frobenius norms
    private final Tensor right;       // k x c, in the factors' type
    private final ScaleSide folded;   // the side that already carries the scales, or null when kept apart
    private final double[] spectrum;  // singular values of the matrix that was decomposed, descending
    private final double relativeGramShift;
    private final SvdResult svd;      // the owner of left and right when they are its views, else null

    private GroupComponents(Tensor left, double[] scales, Tensor right, ScaleSide folded, double[] spectrum,
                            double relativeGramShift, SvdResult svd) {
        this.left = left;
        this.scales = scales;
        this.right = right;
        this.folded = folded;
        this.spectrum = spectrum;
        this.relativeGramShift = relativeGramShift;
        this.svd = svd;
    }

    /** The components of a plain SVD, which they keep and close: {@code U}, {@code S}, {@code Vᵀ}. */
    static GroupComponents of(SvdResult svd) {
        double[] singularValues = svd.singularValues();
        return new GroupComponents(svd.u(), singularValues, svd.vt(), null, singularValues, 0, svd);
    }

    /**
     * Components whose scales are folded into one side. The sides are read, not kept: the norms come from them
     * as they are (F64 for a data-aware split), the factors from copies in {@code factorType}.
     *
     * @param spectrum          the singular values of the matrix decomposed to find them (for a data-aware split,
     *                          the whitened matrix's), descending
     * @param relativeGramShift the shift the inputs' Gram needed to factor, relative to its mean diagonal
     */
    static GroupComponents folded(Tensor left, Tensor right, ScaleSide foldedSide, double[] spectrum,
                                  double relativeGramShift, DType factorType) {
        if (Objects.requireNonNull(foldedSide, "foldedSide") == ScaleSide.BOTH) {
            throw new IllegalArgumentException("coordinates carry the scales on one side, not split between both");
        }
        double[] norms = foldedSide == ScaleSide.LEFT ? columnNorms(left) : rowNorms(right);
        Tensor leftCopy = left.to(factorType);
        try {
            return new GroupComponents(leftCopy, norms, right.to(factorType), foldedSide, spectrum.clone(), relativeGramShift, null);
        } catch (RuntimeException | Error e) {
            leftCopy.close();
            throw e;
        }
    }

    /** The type the factors come out in. */
    DType dtype() {
        return left.dtype();
    }

    /** The components' norms as a new F64 vector, for the weight error of every rank ({@link Kernels#scaledSquaredTailsInAnyOrder}). */
    Tensor scaleTensor() {
        return Tensor.ofDoubles(Shape.of(scales.length), scales);
    }

    /** The singular values of the decomposed matrix as a new F64 vector, for the output error of every rank. */
    Tensor spectrumTensor() {
        return Tensor.ofDoubles(Shape.of(spectrum.length), spectrum);
    }

    /** The singular values of the decomposed matrix, descending (a copy). */
    double[] spectrum() {
        return spectrum.clone();
    }

    /** The shift the inputs' Gram needed to factor, relative to its mean diagonal: 0 when none, or for a plain SVD. */
    double relativeGramShift() {
        return relativeGramShift;
    }

    /** A new {@code p x q} matrix: the first {@code q} columns of the left side, with its share of the scales. */
    Tensor left(int q, ScaleSide target) {
        double exponent = exponent(ScaleSide.LEFT, target);
        if (exponent == 0) {
            return Kernels.leadingColumns(left, q);
        }
        try (Tensor powers = powers(exponent)) {
            return Kernels.scaledColumns(left, q, powers);
        }
    }

    /** A new {@code q x c} matrix: the first {@code q} rows of the right side, with its share of the scales. */
    Tensor right(int q, ScaleSide target) {
        double exponent = exponent(ScaleSide.RIGHT, target);
        if (exponent == 0) {
            try (Tensor leading = right.slice(0, q)) {
                return leading.copy();
            }
        }
        try (Tensor powers = powers(exponent)) {
            return Kernels.scaledRows(right, q, powers);
        }
    }

    /**
     * The power of the scales that gives {@code side} its share for {@code target}: the share it should carry
     * (1, ½ or 0) less the share it carries already (1 on the folded side, else 0). So -1 or -½ moves scale
     * off a folded side.
     */
    private double exponent(ScaleSide side, ScaleSide target) {
        return share(side, target) - (folded == null ? 0 : share(side, folded));
    }

    private static double share(ScaleSide side, ScaleSide target) {
        return target == ScaleSide.BOTH ? 0.5 : target == side ? 1 : 0;
    }

    /**
     * {@code scale_j^exponent} in the factors' type. Computed in double and rounded once, which for 1 and ½ is
     * exactly what {@link Kernels#sqrt} and the spectrum itself give. A component of norm 0 (or so small that
     * its reciprocal overflows) gets 0 for a negative power: its coordinates are 0 (or below 1e-308), so it
     * contributes nothing either way, and 0 keeps {@code 0·∞} from making a NaN.
     */
    private Tensor powers(double exponent) {
        Tensor powers = Tensor.allocate(dtype(), Shape.of(scales.length));
        for (int j = 0; j < scales.length; j++) {
            double root = exponent == 0.5 || exponent == -0.5 ? Math.sqrt(scales[j]) : scales[j];
            double power = exponent > 0 ? root : 1 / root;
            powers.setDouble(j, Double.isFinite(power) ? power : 0);
        }
        return powers;
    }

    private static double[] rowNorms(Tensor matrix) {
        double[] norms = new double[matrix.rows()];
        for (int i = 0; i < norms.length; i++) {
            try (Tensor row = matrix.slice(i, i + 1)) {
                norms[i] = Kernels.frobeniusNorm(row);
            }
        }
        return norms;
    }

    private static double[] columnNorms(Tensor matrix) {
        int rows = matrix.rows();
        int columns = matrix.columns();
        double[] squares = new double[columns];
        for (long i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                double value = matrix.getDouble(i * columns + j);
                squares[j] += value * value;
            }
        }
        double[] norms = new double[columns];
        for (int j = 0; j < columns; j++) {
            norms[j] = Math.sqrt(squares[j]);
        }
        return norms;
    }

    @Override
    public void close() {
        left.close();
        right.close();
        if (svd != null) {
            svd.close();
        }
    }
}
