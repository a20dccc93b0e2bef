package dev.wsvd.layer;

import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The thin SVD of one layer's weight, computed once and kept: every rank asked for afterwards (factor pairs,
 * errors, the whole error profile, the energy rule) costs no further decomposition, only the copying and
 * scaling of the leading singular vectors.
 *
 * <p>The weight is decomposed as the reference does (see {@link FactorPair} for the factor layouts):
 * Linear {@code W (out x in)} directly; Conv with axes 0 and 1 swapped and flattened to
 * {@code Cin x (Cout·k)}; a grouped convolution per group, each group at rank {@code r/g} (so ranks are
 * multiples of the group count). Depthwise convolutions are refused ({@link SplitRefusedException}).
 *
 * <p>Factors come out in the weight's type (f32 or f64; f16 and bf16 weights are widened to f32). The
 * decomposition owns native memory: close it when done. Forming factors from several threads at once is safe.
 */
public final class LayerSvd implements AutoCloseable {
    private final LayerGeometry geometry;
    private final WeightLayout layout;
    private final LayerCost cost;
    private final List<GroupComponents> groups;
    private final Tensor bias;
    private final double[] tail; // tail[q] ∝ Σ over groups of Σ_{j≥q} scale_j², q = 0..rank per group (scaled: ratios only)
    private final Duration decompositionTime;
    private volatile boolean closed;

    private LayerSvd(LayerGeometry geometry, WeightLayout layout, List<GroupComponents> groups, Tensor bias,
                     Duration decompositionTime) {
        this.geometry = geometry;
        this.layout = layout;
        this.cost = LayerCost.of(geometry);
        this.groups = List.copyOf(groups);
        this.bias = bias;
        this.decompositionTime = decompositionTime;
        this.tail = squaredTails(groups);
    }

    /** Decomposes a layer without a bias. */
    public static LayerSvd decompose(LayerGeometry geometry, Tensor weight) {
        return decompose(geometry, weight, null);
    }

    /**
     * Decomposes a layer's weight. The tensors are read, never modified or kept: the bias is copied.
     *
     * @param geometry the layer
     * @param weight   its weight in the reference layout (Linear {@code out x in}, Conv {@code Cout x Cin/g x k...})
     * @param bias     its bias ({@code Cout}), or null when the layer has none
     * @throws IllegalArgumentException if the shapes disagree with the geometry or an element is NaN or infinite
     * @throws SplitRefusedException    for a depthwise convolution
     * @throws dev.wsvd.linalg.LapackException if LAPACK fails (neither SVD driver converges)
     * @throws dev.wsvd.nativelib.NativeLibraryException if OpenBLAS cannot be loaded
     */
    public static LayerSvd decompose(LayerGeometry geometry, Tensor weight, Tensor bias) {
        OpenBlas.load(); // once per process; loading (and extracting) the library is not SVD time
        return decompose(geometry, weight, bias, Svd::thin);
    }

    /** As {@link #decompose(LayerGeometry, Tensor, Tensor)}, with the decomposition supplied (tests count calls). */
    static LayerSvd decompose(LayerGeometry geometry, Tensor weight, Tensor bias, Decomposer decomposer) {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(weight, "weight");
        if (geometry instanceof ConvGeometry conv && conv.isDepthwise()) {
            throw new SplitRefusedException(SplitRefusal.depthwise(conv));
        }
        WeightLayout layout = WeightLayout.of(geometry);
        WeightChecks.checkBias(geometry, bias);
        Tensor computeWeight = WeightChecks.checkedComputeWeight(geometry, weight);
        List<GroupComponents> groups = new ArrayList<>(layout.groups());
        Tensor biasCopy = null;
        long elapsed = 0;
        try {
            for (int group = 0; group < layout.groups(); group++) {
                try (Tensor matrix = layout.groupMatrix(computeWeight, group)) {
                    long start = System.nanoTime();
                    groups.add(GroupComponents.of(decomposer.decompose(matrix)));
                    elapsed += System.nanoTime() - start;
                }
            }
            biasCopy = bias == null ? null : bias.copy();
            return new LayerSvd(geometry, layout, groups, biasCopy, Duration.ofNanos(elapsed));
        } catch (RuntimeException | Error e) {
            groups.forEach(GroupComponents::close);
            if (biasCopy != null) {
                biasCopy.close();
            }
            throw e;
        } finally {
            if (computeWeight != weight) {
                computeWeight.close();
            }
        }
    }

    /** The decomposed layer. */
    public LayerGeometry geometry() {
        return geometry;
    }

    /** The layer's cost model (same geometry). */
    public LayerCost cost() {
        return cost;
    }

    /** The type the factors come out in: f32 or f64. */
    public DType dtype() {
        return groups.getFirst().dtype();
    }

    /** Wall-clock time spent in the SVD itself (all groups), excluding reshapes, checks and library loading. */
    public Duration decompositionTime() {
        return decompositionTime;
    }

    /** Number of separately decomposed groups (1 unless a grouped convolution). */
    public int groupCount() {
        return groups.size();
    }

    /** The largest rank ({@link LayerCost#maxRank()}): the full-rank pair reproduces the layer. */
    public int maxRank() {
        return cost.maxRank();
    }

    /** Singular values of group {@code group}'s matrix, descending (a copy). */
    public double[] singularValues(int group) {
        requireOpen();
        return groups.get(group).spectrum();
    }

    /**
     * Relative Frobenius error {@code ||W - W_r|| / ||W||} of the best approximation at {@code rank}
     * (each group at {@code rank/g}), from the singular values: {@code sqrt(Σ_{i≥r} s_i² / Σ s_i²)}.
     * 0 for an all-zero weight.
     */
    public double relativeError(int rank) {
        cost.checkRank(rank);
        return relativeErrorAtGroupRank(rank / cost.rankStep());
    }

    /** The weight error, params and MACs per sample of every valid rank. */
    public RankProfile profile() {
        requireOpen();
        int count = tail.length - 1;
        int[] ranks = new int[count];
        double[] errors = new double[count];
        long[] params = new long[count];
        long[] macs = cost.knowsMacs() ? new long[count] : null;
        for (int q = 1; q <= count; q++) {
            int rank = q * cost.rankStep();
            ranks[q - 1] = rank;
            errors[q - 1] = relativeErrorAtGroupRank(q);
            params[q - 1] = cost.params(rank);
            if (macs != null) {
                macs[q - 1] = cost.macs(rank);
            }
        }
        return new RankProfile(ranks, errors, params, macs);
    }

    /**
     * The energy rule: the smallest rank keeping at least {@code fraction} of {@code Σ s_i²}, i.e. whose
     * squared relative error is at most {@code 1 - fraction}.
     *
     * @param fraction in (0, 1]; 1 asks for the full rank
     */
    public int rankForEnergy(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("energy fraction must be in (0, 1], got " + fraction);
        }
        requireOpen();
        double allowedTail = (1 - fraction) * tail[0];
        int q = 1;
        while (q < tail.length - 1 && tail[q] > allowedTail) {
            q++;
        }
        return q * cost.rankStep();
    }

    /** The factor pair at {@code rank} with the reference's placement (all singular values in the second factor). */
    public FactorPair factors(int rank) {
        return factors(rank, SingularValuePlacement.SECOND);
    }

    /**
     * The factor pair at a rank chosen by the cost model.
     *
     * @throws SplitRefusedException if the choice would not lower the cost
     */
    public FactorPair factors(RankChoice choice) {
        return factors(choice.requireWorthSplitting(), SingularValuePlacement.SECOND);
    }

    /**
     * The factor pair at {@code rank}: any valid rank, including ones that would not lower the cost (the
     * full rank reproduces the layer); use {@link LayerCost#refusalAt} or {@link #factors(RankChoice)} to
     * refuse those. The caller owns and closes the pair.
     *
     * @throws IllegalArgumentException if {@code rank} is not valid, naming the valid ranks
     */
    public FactorPair factors(int rank, SingularValuePlacement placement) {
        Objects.requireNonNull(placement, "placement");
        requireOpen();
        cost.checkRank(rank);
        int q = rank / cost.rankStep();
        GroupComponents.ScaleSide scaleSide = scaleSide(placement);
        Tensor first = null;
        Tensor second = null;
        Tensor firstBias = null;
        Tensor secondBias = null;
        try {
            if (layout.isConv()) {
                // per group, matrix(W_r) = matrix(A)·matrix(B): the first factor is the left side
                PairGeometry pair = PairGeometry.of(geometry, rank);
                first = Tensor.allocate(dtype(), pair.first().weightShape());
                second = Tensor.allocate(dtype(), pair.second().weightShape());
                WeightLayout firstLayout = WeightLayout.of(pair.first());
                WeightLayout secondLayout = WeightLayout.of(pair.second());
                for (int group = 0; group < groups.size(); group++) {
                    try (Tensor firstMatrix = groups.get(group).left(q, scaleSide);
                         Tensor secondMatrix = groups.get(group).right(q, scaleSide)) {
                        firstLayout.setGroupMatrix(first, group, firstMatrix);
                        secondLayout.setGroupMatrix(second, group, secondMatrix);
                    }
                }
            } else {
                // W_r = B·A: the first factor A (r x in) is the right side, B (out x r) the left
                first = groups.getFirst().right(q, scaleSide);
                second = groups.getFirst().left(q, scaleSide);
            }
            if (bias != null) {
                firstBias = Tensor.allocate(bias.dtype(), Shape.of(rank));
                secondBias = bias.copy();
            }
            return new FactorPair(rank, first, firstBias, second, secondBias);
        } catch (RuntimeException | Error e) {
            for (Tensor t : new Tensor[] {first, second, firstBias, secondBias}) {
                if (t != null) {
                    t.close();
                }
            }
            throw e;
        }
    }

    /** Frees the decomposition. Idempotent; any later use fails with {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        groups.forEach(GroupComponents::close);
        if (bias != null) {
            bias.close();
        }
    }

    @Override
    public String toString() {
        return "LayerSvd[" + geometry + ", " + groups.size() + " group(s), max rank " + maxRank() + (closed ? ", closed" : "") + "]";
    }

    /**
     * Which side of each group's components carries the scales for {@code placement}. A Linear pair computes
     * {@code W_r = B·A}, so its first factor is the right side; a convolution group computes
     * {@code matrix(A)·matrix(B)} ({@link WeightLayout}), so its first factor is the left side.
     */
    private GroupComponents.ScaleSide scaleSide(SingularValuePlacement placement) {
        GroupComponents.ScaleSide firstSide = layout.isConv() ? GroupComponents.ScaleSide.LEFT : GroupComponents.ScaleSide.RIGHT;
        GroupComponents.ScaleSide secondSide = layout.isConv() ? GroupComponents.ScaleSide.RIGHT : GroupComponents.ScaleSide.LEFT;
        return switch (placement) {
            case FIRST -> firstSide;
            case SECOND -> secondSide;
            case BALANCED -> GroupComponents.ScaleSide.BOTH;
        };
    }

    /** {@code Σ over groups of Σ_{j≥q} scale_j²} for every q, scaled by a power of two (only ratios mean anything). */
    private static double[] squaredTails(List<GroupComponents> groups) {
        List<Tensor> norms = groups.stream().map(GroupComponents::scaleTensor).toList();
        try {
            return Kernels.scaledSquaredTailsInAnyOrder(norms);
        } finally {
            norms.forEach(Tensor::close);
        }
    }

    private double relativeErrorAtGroupRank(int q) {
        requireOpen();
        return tail[0] == 0 ? 0 : Math.sqrt(tail[q] / tail[0]);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the decomposition of " + geometry + " was closed and can no longer be used");
        }
    }

    /** Computes one group's thin SVD; the seam through which tests count decompositions. */
    @FunctionalInterface
    interface Decomposer {
        SvdResult decompose(Tensor matrix);
    }
}
