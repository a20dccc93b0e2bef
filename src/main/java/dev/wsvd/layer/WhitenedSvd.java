package dev.wsvd.layer;

import dev.wsvd.linalg.Cholesky;
import dev.wsvd.linalg.Gemm;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.linalg.Triangular;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;

/**
 * The data-aware split of one group matrix: the rank-r matrix that minimises the error of the layer's
 * <em>output</em> on the inputs whose Gram {@code G = Σ x·xᵀ} is given, instead of the weight error. With
 * {@code G = L·Lᵀ} (Cholesky, shifted when {@code G} is singular), the output error of a change {@code Δ} is a
 * weight error in whitened coordinates, so the SVD of the whitened matrix gives the optimum (Eckart–Young), and
 * it is a projection of the weight onto the leading singular vectors on the <em>output</em> side: no {@code L⁻¹}
 * is ever applied, which would amplify the noise in {@code G}'s small eigenvalues.
 * <ul>
 *   <li>Inputs meet the columns, {@code y = W·x} (Linear {@code W}, {@code out x in}): the error is
 *       {@code ||Δ·X||² = ||Δ·L||²}; with {@code W·L = U·Σ·Vᵀ}, {@code W_r = U_r·U_rᵀ·W}. Components: left
 *       {@code U} (the basis), right {@code Uᵀ·W} (the coordinates, which carry the scale).</li>
 *   <li>Inputs meet the rows, {@code y = Mᵀ·x} (a convolution group's {@code Cin/g x (Cout/g·k)} view, one
 *       column per output channel and kernel offset): the error, summed over the offsets, is
 *       {@code ||Lᵀ·Δ||²}; with {@code Lᵀ·M = U·Σ·Vᵀ}, {@code M_r = M·V_r·V_rᵀ}. Components: left {@code M·V}
 *       (the coordinates), right {@code Vᵀ} (the basis).</li>
 * </ul>
 * Either way the output error of rank r is {@code Σ_{i>r} σ_i²} of the whitened matrix, exactly, and the
 * spectrum's total {@code Σ σ_i²} is the output energy (plus {@code s·||W||²} under a shift {@code s}).
 * Everything runs in F64; the factors come out in the weight's type.
 */
final class WhitenedSvd {
    private WhitenedSvd() {
    }

    /**
     * The components of {@code W_r = U_r·U_rᵀ·W} for a matrix applied as {@code W·x}.
     *
     * @param weight     {@code out x in}, F64
     * @param gram       {@code in x in}, F64, symmetric positive semi-definite
     * @param factorType the type the factors come out in
     */
    static GroupComponents inputsOnColumns(Tensor weight, Tensor gram, DType factorType, LayerSvd.Decomposer decomposer) {
        try (Cholesky cholesky = Cholesky.factor(gram);
             Tensor whitened = Triangular.timesLower(weight, cholesky.lower());      // W·L, out x in
             SvdResult svd = decomposer.decompose(whitened);
             Tensor coordinates = Gemm.multiplyTransposeA(svd.u(), weight)) {         // Uᵀ·W, k x in
            return GroupComponents.folded(svd.u(), coordinates, GroupComponents.ScaleSide.RIGHT, svd.singularValues(),
                    cholesky.relativeShift(), factorType);
        }
    }

    /**
     * The components of {@code M_r = M·V_r·V_rᵀ} for a matrix applied as {@code Mᵀ·x}.
     *
     * @param matrix     {@code m x c}, F64
     * @param gram       {@code m x m}, F64, symmetric positive semi-definite
     * @param factorType the type the factors come out in
     */
    static GroupComponents inputsOnRows(Tensor matrix, Tensor gram, DType factorType, LayerSvd.Decomposer decomposer) {
        try (Cholesky cholesky = Cholesky.factor(gram);
             Tensor whitened = Triangular.lowerTransposedTimes(cholesky.lower(), matrix); // Lᵀ·M, m x c
             SvdResult svd = decomposer.decompose(whitened);
             Tensor coordinates = Gemm.multiplyTransposeB(matrix, svd.vt())) {             // M·V, m x k
            return GroupComponents.folded(coordinates, svd.vt(), GroupComponents.ScaleSide.LEFT, svd.singularValues(),
                    cholesky.relativeShift(), factorType);
        }
    }
}
