/**
 * Greedy compression-ratio selection ("auto mode"), matching Qualcomm AIMET's
 * {@code GreedyCompRatioSelectAlgo} and {@code MonotonicIncreasingCurveFit}.
 *
 * <p>The flow, in the reference's order:
 * <ol>
 *   <li>{@link dev.wsvd.selection.CandidateRatios}: the ratios each layer is scored at;</li>
 *   <li>{@link dev.wsvd.selection.EvalScores}: layer &rarr; ratio &rarr; score, filled by the
 *       driver one evaluation at a time and saved after each so a run can resume;</li>
 *   <li>{@link dev.wsvd.selection.MonotonicFit} (optional): scores replaced by a
 *       non-decreasing degree-7 polynomial fit;</li>
 *   <li>{@link dev.wsvd.selection.ScoreRounding}: ratio keys moved to the ratio the layer's
 *       rank rounding really gives, scores interpolated;</li>
 *   <li>{@link dev.wsvd.selection.GreedySelector}: binary search over a score threshold
 *       until the model's cost ratio meets the target.</li>
 * </ol>
 *
 * <p>The package knows nothing about tensors, models or evaluators: layers are seen through
 * {@link dev.wsvd.selection.SelectableLayer}, which the layer/cost-model code implements.
 *
 * <p>Ratios are {@link java.math.BigDecimal}s with the reference's Python {@code Decimal} values
 * (28 significant digits, half-even), so keys print, compare and round-trip exactly and the cost model
 * can reproduce the reference's exact-decimal rank arithmetic. Scores are {@code double}s.
 */
package dev.wsvd.selection;
