/**
 * Layers and their split by truncated SVD: what a layer is ({@link dev.wsvd.layer.LayerGeometry}), what it
 * and its replacement cost per sample ({@link dev.wsvd.layer.LayerCost}), which rank a ratio or an energy
 * fraction means, why a layer is not split ({@link dev.wsvd.layer.SplitRefusal}), and the two factors
 * themselves ({@link dev.wsvd.layer.LayerSvd} → {@link dev.wsvd.layer.FactorPair}).
 *
 * <h2>One owner per rule</h2>
 * <ul>
 *   <li>weight layout: {@code WeightLayout} maps any layer's weight (the original, {@code W_r}, each factor) to
 *       its group matrices and back; {@link dev.wsvd.layer.LayerGeometry#weightShape()} and
 *       {@link dev.wsvd.layer.PairGeometry} give the shapes;</li>
 *   <li>cost per sample: the geometry carries the output positions (Conv) or rows (Linear), and
 *       {@link dev.wsvd.layer.LayerCost} counts them;</li>
 *   <li>error of every rank: {@link dev.wsvd.layer.RankProfile}, from the singular values (and for a data-aware
 *       split the component norms) by a SIMD kernel;</li>
 *   <li>finite weights and input Grams: checked once, where they enter ({@code WeightChecks});</li>
 *   <li>refusals: {@link dev.wsvd.layer.SplitRefusal}, typed, with the sentence users read.</li>
 * </ul>
 * Nothing here knows a file format, a report or a compressor: data flows file → tensor → layer → SVD → rank →
 * factors → file, and callers map these types to their own.
 *
 * <h2>Typical use</h2>
 * <pre>{@code
 * LayerCost cost = LayerCost.of(geometry);
 * RankChoice choice = cost.choose(0.5, CostUnit.MAC, 8);      // rank for half the MACs, rounded to 8
 * if (!choice.worthSplitting()) report(choice.refusal());       // e.g. at or above the break-even rank
 * try (LayerSvd svd = LayerSvd.decompose(geometry, weight, bias)) {   // the one SVD of this layer
 *     RankProfile profile = svd.profile();                     // error, params, MACs of every rank
 *     try (FactorPair pair = svd.factors(choice)) {             // A (runs first) and B, reference layout
 *         PairGeometry nodes = PairGeometry.of(geometry, pair.rank());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <h2>The data-aware split</h2>
 * {@link dev.wsvd.layer.LayerSvd#decompose(LayerGeometry, dev.wsvd.tensor.Tensor, dev.wsvd.tensor.Tensor, dev.wsvd.tensor.Tensor)}
 * also takes the Gram {@code G = Σ x·xᵀ} of the layer's inputs (Linear: {@code in x in} over its input rows;
 * Conv: {@code Cin x Cin} over the channel vectors at every input position, one diagonal block per group) and
 * keeps, at each rank, the weight whose outputs on those inputs are nearest the layer's. With {@code G = L·Lᵀ}
 * ({@code WhitenedSvd}): Linear, from the SVD {@code W·L = U·Σ·Vᵀ}, {@code A = U_rᵀ·W} (the weight's coordinates
 * in the r leading output directions) and {@code B = U_r} (those directions, orthonormal); Conv, per group, from
 * {@code Lᵀ·M = U·Σ·Vᵀ} on the reference's {@code Cin x (Cout·k)} view {@code M}, {@code matrix(A) = M·V_r} (the
 * 1x1 convolution) and {@code matrix(B) = V_rᵀ} (the kxk one). Factors, layouts, costs and rank rules are the plain
 * split's ({@code GroupComponents} forms both); the output error of every rank is the tail of the whitened
 * spectrum ({@link dev.wsvd.layer.RankProfile#outputError()}), and a singular {@code G} is shifted and says so
 * ({@link dev.wsvd.layer.LayerSvd#relativeGramShift()}).
 *
 * <h2>Beyond the reference</h2>
 * Conv1d by the same rule as Conv2d; grouped convolutions split per group (ranks are multiples of the group
 * count); depthwise convolutions refused with a reason; splits that would not lower the cost refused with a
 * reason; one cost formula (with the stride factor on the first factor) for selection and reports; the
 * {@linkplain dev.wsvd.layer.SingularValuePlacement#BALANCED balanced} placement of the singular values.
 */
package dev.wsvd.layer;
