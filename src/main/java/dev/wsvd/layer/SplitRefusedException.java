package dev.wsvd.layer;

/**
 * A layer, or a layer at a given rank, is not split: the split would not make it cheaper, or the layer kind
 * is never split (depthwise convolutions). The message is the reason, written for the user's report.
 */
public final class SplitRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SplitRefusal refusal;

    public SplitRefusedException(SplitRefusal refusal) {
        super(refusal.reason());
        this.refusal = refusal;
    }

    /** Why, typed. */
    public SplitRefusal refusal() {
        return refusal;
    }

    /** The reason, as shown to the user. */
    public String reason() {
        return getMessage();
    }
}
