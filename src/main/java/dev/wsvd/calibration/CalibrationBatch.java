package dev.wsvd.calibration;

import dev.wsvd.runtime.Feed;

import java.util.Map;
import java.util.Objects;

/**
 * One run's worth of calibration inputs.
 *
 * @param feeds     the model inputs by name
 * @param tokenMask for sequence models, the attention mask of the batch ({@code samples x positions}, row-major):
 *                  rows of a {@code [batch, positions, features]} layer input whose mask is 0 are padding and are not
 *                  counted; null when every row counts
 * @param samples   the samples (first axis) in the batch
 * @param release   frees what the batch owns (its feeds, when they were made for it); nothing for borrowed feeds
 */
record CalibrationBatch(Map<String, Feed> feeds, long[] tokenMask, int samples, Runnable release)
        implements AutoCloseable {

    public CalibrationBatch {
        feeds = Map.copyOf(feeds);
        Objects.requireNonNull(release, "release");
        if (samples < 1) {
            throw new IllegalArgumentException("a calibration batch holds at least one sample, got " + samples);
        }
    }

    @Override
    public void close() {
        release.run();
    }
}
