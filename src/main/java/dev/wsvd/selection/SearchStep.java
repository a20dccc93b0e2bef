package dev.wsvd.selection;

/**
 * One iteration of the threshold search, for logs and reports.
 *
 * @param low        low end of the score window
 * @param high       high end of the score window
 * @param threshold  midpoint tried
 * @param modelRatio model cost ratio the midpoint gives
 */
record SearchStep(double low, double high, double threshold, double modelRatio) {
}
