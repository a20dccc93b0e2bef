package dev.wsvd.layer;

import java.util.Arrays;
import java.util.Objects;

/**
 * The geometry of the two layers that replace one layer at a given rank: what a graph rewriter needs for the
 * two new nodes besides their weights ({@link FactorPair}).
 * <ul>
 *   <li>Linear {@code in -> out}: first {@code in -> r}, second {@code r -> out}.</li>
 *   <li>Conv {@code Cin -> Cout}: first a 1x1 (or 1) convolution {@code Cin -> r}, stride 1, no padding,
 *       dilation 1, the original groups, output size unknown here (it is the input size); second
 *       {@code r -> Cout} with the original kernel, stride, padding, dilation, groups and output size.</li>
 * </ul>
 * Both layers have a bias exactly when the original had one (zeros on the first, the original on the second).
 *
 * @param first  the layer that runs first ({@code <layer>.0})
 * @param second the layer that consumes its output ({@code <layer>.1})
 */
public record PairGeometry(LayerGeometry first, LayerGeometry second) {
    public PairGeometry {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /**
     * The pair replacing {@code original} at {@code rank}. Any positive multiple of the group count gives a
     * well-formed pair; ranks above {@link LayerCost#maxRank()} are wasteful, not malformed, so they are the
     * cost model's business, not this method's.
     *
     * @throws IllegalArgumentException if {@code rank} is below 1 or not a multiple of the group count
     */
    public static PairGeometry of(LayerGeometry original, int rank) {
        int groups = original instanceof ConvGeometry conv ? conv.groups() : 1;
        if (rank < 1 || rank % groups != 0) {
            throw new IllegalArgumentException("a pair of rank " + rank + " cannot replace " + original
                    + ": the rank must be a positive multiple of the " + groups + " group(s)");
        }
        return switch (original) {
            case LinearGeometry linear -> new PairGeometry(
                    new LinearGeometry(linear.inChannels(), rank, linear.hasBias(), linear.rowsPerSample()),
                    new LinearGeometry(rank, linear.outChannels(), linear.hasBias(), linear.rowsPerSample()));
            case ConvGeometry conv -> {
                int axes = conv.spatialAxes();
                int[] ones = new int[axes];
                Arrays.fill(ones, 1);
                ConvGeometry first = new ConvGeometry(conv.inChannels(), rank, conv.groups(), ones, ones, new int[2 * axes],
                        ones, new long[0], conv.hasBias());
                ConvGeometry second = new ConvGeometry(rank, conv.outChannels(), conv.groups(), conv.kernel(), conv.stride(),
                        conv.padding(), conv.dilation(), conv.outputSpatial(), conv.hasBias());
                yield new PairGeometry(first, second);
            }
        };
    }
}
