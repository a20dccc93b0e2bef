package dev.wsvd;

/**
 * How the data-aware method treated one layer: whitened by its inputs' Gram ({@code rows} input rows, shifted by
 * {@code gramShift} of its mean diagonal to factor, predicted relative output error {@code outputError} at the chosen
 * rank), or split plainly for the reason in {@code fallback}.
 *
 * @param rows        input rows summed into the Gram (tokens, pixel positions, samples); 0 for a fallback
 * @param gramShift   the diagonal shift the Cholesky factorization needed, relative to the mean diagonal; 0 when none
 * @param outputError {@code ||(W - W_r)·X|| / ||W·X||} at the chosen rank on the calibration inputs; NaN when the layer
 *                    was kept or fell back
 * @param fallback    why the layer got the plain split instead, or null when it was whitened
 */
public record LayerCalibration(long rows, double gramShift, double outputError, String fallback) {
    public LayerCalibration {
        if (rows < 0 || !(gramShift >= 0)) {
            throw new IllegalArgumentException("calibration rows and Gram shift must not be negative, got " + rows + " and " + gramShift);
        }
        if (fallback != null && fallback.isBlank()) {
            throw new IllegalArgumentException("a calibration fallback needs a reason");
        }
    }

    /** The layer was whitened by {@code rows} input rows. */
    public static LayerCalibration whitened(long rows, double gramShift, double outputError) {
        return new LayerCalibration(rows, gramShift, outputError, null);
    }

    /** The layer got the plain split, for {@code reason}. */
    public static LayerCalibration fellBack(String reason) {
        return new LayerCalibration(0, 0, Double.NaN, reason);
    }

    /** Whether the layer was whitened (not a fallback). */
    public boolean isWhitened() {
        return fallback == null;
    }
}
