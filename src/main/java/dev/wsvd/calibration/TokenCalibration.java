package dev.wsvd.calibration;

import dev.wsvd.eval.TokenFeeds;
import dev.wsvd.runtime.Feed;
import dev.wsvd.runtime.ValueInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Tokenized sentences as calibration batches, padding masked by each batch's attention mask: what a sentence
 * encoder's evaluator calibrates on. Owns the feeds.
 */
public final class TokenCalibration implements CalibrationInputs {
    private final TokenFeeds feeds;
    private final int sentences;
    private final String description;
    private Map<String, ValueInfo> modelInputs;

    /** Takes ownership of {@code feeds}, {@code sentences} sentences described by {@code description}. */
    public TokenCalibration(TokenFeeds feeds, int sentences, String description) {
        this.feeds = Objects.requireNonNull(feeds, "feeds");
        this.sentences = sentences;
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int batchCount() {
        return feeds.batchCount();
    }

    @Override
    public int samples() {
        return sentences;
    }

    @Override
    public void prepare(Map<String, ValueInfo> inputs) throws CalibrationException {
        Map<String, Feed> first = feeds.feeds(0);
        for (ValueInfo input : inputs.values()) {
            if (!first.containsKey(input.name())) {
                throw new CalibrationException("the model takes an input " + input.name() + ", but calibration on sentences"
                        + " feeds only " + first.keySet() + "; give calibration inputs of your own (--calibration DIR)");
            }
        }
        this.modelInputs = inputs;
    }

    @Override
    public CalibrationBatch batch(int index) {
        Map<String, Feed> feed = new LinkedHashMap<>(feeds.feeds(index));
        if (modelInputs != null) {
            feed.keySet().retainAll(modelInputs.keySet()); // e.g. encoders without token_type_ids
        }
        return new CalibrationBatch(feed, feeds.attentionMask(index), feeds.sentences(index), () -> { });
    }

    @Override
    public void close() {
        feeds.close();
    }
}
