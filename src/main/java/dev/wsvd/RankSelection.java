package dev.wsvd;

/**
 * How the per-layer ranks are chosen: {@link ManualRatios} (the reference's manual mode) or
 * {@link AutoSelection} (its greedy auto mode).
 */
sealed interface RankSelection permits ManualRatios, AutoSelection {
}
