package dev.wsvd.layer;

import java.util.Objects;

/**
 * Why a layer, or a layer at a given rank, is not split: the kind, which code acts on (a report files it under
 * a skip reason), and the sentence a user reads, which names the specifics. Made where the fact is found: the
 * model reader for what the file format rules out, the cost model for what would not pay.
 *
 * @param kind   what stands in the way
 * @param reason the sentence shown to the user, e.g. {@code quantized: its weight holds INT8 elements}
 */
public record SplitRefusal(Kind kind, String reason) {

    /** What stands in the way of a split. */
    public enum Kind {
        /** Integer weights, or weights dequantized from integers: factoring them would change what they mean. */
        QUANTIZED,
        /** A depthwise convolution: each filter sees one channel, so its weight is already rank 1. */
        DEPTHWISE_CONV,
        /** A transposed convolution. */
        TRANSPOSED_CONV,
        /** A convolution over three spatial axes. */
        CONV_3D,
        /** A weight or layout the split does not take: sparse, not floating point, not a matrix, a left operand... */
        UNSUPPORTED,
        /** No rank, or not the rank asked for, would make the layer cheaper. */
        NO_SAVING
    }

    public SplitRefusal {
        Objects.requireNonNull(kind, "kind");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a refusal needs a reason the user can read");
        }
    }

    /** The one rule for depthwise convolutions: never split. */
    public static SplitRefusal depthwise(ConvGeometry conv) {
        return new SplitRefusal(Kind.DEPTHWISE_CONV, "depthwise convolution (groups = input channels = " + conv.groups()
                + "): each filter sees one channel, so there is nothing to factor");
    }

    /** The user's sentence, so that a refusal reads right wherever it is printed. */
    @Override
    public String toString() {
        return reason;
    }
}
