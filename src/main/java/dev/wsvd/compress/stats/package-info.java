/**
 * What a compression run reports: plain, immutable records the compressor fills and the renderers in
 * {@code dev.wsvd.report} show (terminal table, JSON, HTML).
 *
 * <p>{@link dev.wsvd.compress.stats.CompressionStats} is the root: mode and cost metric, baseline and
 * compressed scores, the memory and MAC totals before and after (both ratios, always), the auto mode's target
 * outcome, one {@link dev.wsvd.compress.stats.LayerStats} row per candidate layer (compressed or kept, and why),
 * the greedy eval dictionary, optional per-rank error profiles, wall time per phase, the run environment and the
 * input and output models.
 *
 * <p>Conventions: a component that does not apply is {@code null} (documented on each record); ratios are
 * compressed cost over original cost, so smaller means more compression; every record checks its
 * preconditions on construction and fails with {@link IllegalArgumentException} naming the field.
 */
package dev.wsvd.compress.stats;
