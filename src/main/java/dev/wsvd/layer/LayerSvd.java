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
import java.util.function.Function;

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
 * <p><b>Plain or data-aware.</b> The plain split ({@link #decompose(LayerGeometry, Tensor, Tensor)}, the
 * reference's) keeps the rank-r matrix nearest the weight. The data-aware split
 * ({@link #decompose(LayerGeometry, Tensor, Tensor, Tensor)}) is given the Gram matrix {@code G = Σ x·xᵀ} of the
 * layer's inputs and keeps the rank-r matrix whose <em>outputs</em> on those inputs are nearest the layer's:
 * the SVD of the weight whitened by {@code G}'s Cholesky factor, then a projection of the weight onto the
 * leading directions of the output side. Its factors keep the same layouts, costs and rank rules; its first
 * factor holds the weight's coordinates in those directions, its second the directions themselves (orthonormal).
 * Both report the weight error of every rank; the data-aware one also the output error
 * ({@link #relativeOutputError}, {@link RankProfile#outputError()}).
 *
 * <p>Factors come out in the weight's type (f32 or f64; f16 and bf16 weights are widened to f32; a data-aware
 * split computes in f64 whatever the type). The decomposition owns native memory: close it when done. Forming
 * factors from several threads at once is safe.
 */
public final class LayerSvd implements AutoCloseable {
    private final LayerGeometry geometry;
    private final WeightLayout layout;
    private final LayerCost cost;
    private final List<GroupComponents> groups;
    private final boolean dataAware;
    private final Tensor bias;
    private final double[] tail; // tail[q] ∝ Σ over groups of Σ_{j≥q} scale_j², q = 0..rank per group (scaled: ratios only)
    private final double[] outputTail; // the same sums of the whitened singular values; null for a plain split
    private final double relativeGramShift;
    private final Duration decompositionTime;
    private volatile boolean closed;

    private LayerSvd(LayerGeometry geometry, WeightLayout layout, List<GroupComponents> groups, boolean dataAware,
                     Tensor bias, Duration decompositionTime) {
        this.geometry = geometry;
        this.layout = layout;
        this.cost = LayerCost.of(geometry);
        this.groups = List.copyOf(groups);
        this.bias = bias;
        this.decompositionTime = decompositionTime;
        this.tail = squaredTails(groups, GroupComponents::scaleTensor, Kernels::scaledSquaredTailsInAnyOrder);
        this.dataAware = dataAware;
        this.outputTail = dataAware ? squaredTails(groups, GroupComponents::spectrumTensor, Kernels::scaledSquaredTails) : null;
        this.relativeGramShift = groups.stream().mapToDouble(GroupComponents::relativeGramShift).max().orElse(0);
    }

    /** Decomposes a layer without a bias. */
    public static LayerSvd decompose(LayerGeometry geometry, Tensor weight) {
        return decompose(geometry, weight, null);
    }

    /**
     * Decomposes a layer's weight: the plain split, the reference's. The tensors are read, never modified or
     * kept: the bias is copied.
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

    /**
     * Decomposes a layer's weight for its inputs: the data-aware split, which minimises the error of the
     * layer's output on the inputs {@code inputGram} sums (see the class comment). A singular Gram (fewer input
     * rows than features, or features that move together) is shifted until it factors, and
     * {@link #relativeGramShift()} says by how much. The tensors are read, never modified or kept.
     *
     * @param inputGram {@code G = Σ x·xᵀ} over the rows {@code x} the layer reads, in any type (used in f64): Linear
     *                  {@code in x in} over its input feature vectors (every token of every sample); Conv
     *                  {@code Cin x Cin} over the input channel vectors at every spatial position, all groups
     *                  together (each group uses its own diagonal block). Both triangles, as
     *                  {@link dev.wsvd.linalg.GramAccumulator#gram()} gives them.
     * @throws IllegalArgumentException as {@link #decompose(LayerGeometry, Tensor, Tensor)}, and if the Gram has
     *                                  the wrong size (naming the size expected), a NaN or infinite element
     *                                  (naming it), a negative diagonal or an asymmetry beyond rounding
     * @throws SplitRefusedException    for a depthwise convolution
     * @throws dev.wsvd.linalg.LapackException if LAPACK fails (neither SVD driver converges)
     * @throws dev.wsvd.nativelib.NativeLibraryException if OpenBLAS cannot be loaded
     */
    public static LayerSvd decompose(LayerGeometry geometry, Tensor weight, Tensor bias, Tensor inputGram) {
        Objects.requireNonNull(inputGram, "inputGram (for the plain split, call decompose(geometry, weight, bias))");
        OpenBlas.load();
        return decompose(geometry, weight, bias, inputGram, Svd::thin);
    }

    /** As {@link #decompose(LayerGeometry, Tensor, Tensor)}, with the decomposition supplied (tests count calls). */
    static LayerSvd decompose(LayerGeometry geometry, Tensor weight, Tensor bias, Decomposer decomposer) {
        return decompose(geometry, weight, bias, null, decomposer);
    }

    /** The plain split when {@code inputGram} is null, else the data-aware one; the SVDs run through {@code decomposer}. */
    static LayerSvd decompose(LayerGeometry geometry, Tensor weight, Tensor bias, Tensor inputGram, Decomposer decomposer) {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(weight, "weight");
        if (geometry instanceof ConvGeometry conv && conv.isDepthwise()) {
            throw new SplitRefusedException(SplitRefusal.depthwise(conv));
        }
        WeightLayout layout = WeightLayout.of(geometry);
        WeightChecks.checkBias(geometry, bias);
        Tensor computeWeight = WeightChecks.checkedComputeWeight(geometry, weight);
        Tensor gram = null;
        Tensor wideWeight = null;
        List<GroupComponents> groups = new ArrayList<>(layout.groups());
        Tensor biasCopy = null;
        long elapsed = 0;
        try {
            gram = inputGram == null ? null : WeightChecks.checkedInputGram(geometry, inputGram);
            // whitening needs f64 whatever the weight's type: G's small eigenvalues are where the inputs differ
            wideWeight = gram == null || computeWeight.dtype() == DType.F64 ? computeWeight : computeWeight.to(DType.F64);
            for (int group = 0; group < layout.groups(); group++) {
                try (Tensor matrix = layout.groupMatrix(wideWeight, group)) {
                    long start = System.nanoTime();
                    groups.add(gram == null ? GroupComponents.of(decomposer.decompose(matrix))
                            : whiten(geometry, layout, matrix, gram, group, computeWeight.dtype(), decomposer));
                    elapsed += System.nanoTime() - start;
                }
            }
            biasCopy = bias == null ? null : bias.copy();
            return new LayerSvd(geometry, layout, groups, gram != null, biasCopy, Duration.ofNanos(elapsed));
        } catch (RuntimeException | Error e) {
            groups.forEach(GroupComponents::close);
            if (biasCopy != null) {
                biasCopy.close();
            }
            throw e;
        } finally {
            closeIfCopy(wideWeight, computeWeight);
            closeIfCopy(computeWeight, weight);
            closeIfCopy(gram, inputGram);
        }
    }

    /** One group's data-aware components, from its block of the inputs' Gram ({@link WeightLayout#groupGram}). */
    private static GroupComponents whiten(LayerGeometry geometry, WeightLayout layout, Tensor matrix, Tensor gram, int group,
                                          DType factorType, Decomposer decomposer) {
        try (Tensor groupGram = layout.groupGram(gram, group)) {
            // a convolution group's matrix meets its input channels with its rows (Cin/g x Cout/g·k), Linear's with its columns
            return layout.isConv() ? WhitenedSvd.inputsOnRows(matrix, groupGram, factorType, decomposer)
                    : WhitenedSvd.inputsOnColumns(matrix, groupGram, factorType, decomposer);
        } catch (IllegalArgumentException e) {
            // the weight and the Gram's shape and values passed their checks: what is refused here is a Gram that
            // cannot be one (Cholesky's message says why), and the caller needs to know which layer's it was
            throw new IllegalArgumentException("the input Gram of " + geometry + (layout.groups() > 1 ? ", group " + group : "")
                    + ": " + e.getMessage(), e);
        }
    }

    /** Closes {@code tensor} when it is a copy made here, not the caller's {@code original} (nor absent). */
    private static void closeIfCopy(Tensor tensor, Tensor original) {
        if (tensor != null && tensor != original) {
            tensor.close();
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

    /**
     * Wall-clock time spent in the decomposition itself (all groups; for a data-aware split the Cholesky
     * factorization and the whitening products too), excluding reshapes, checks and library loading.
     */
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

    /**
     * Singular values of the matrix decomposed for group {@code group}, descending (a copy): the weight's group
     * matrix for a plain split; for a data-aware one the whitened matrix ({@code W·L} or {@code Lᵀ·M}), whose
     * squares sum to the output energy and whose tail beyond r is the output error of rank r.
     */
    public double[] singularValues(int group) {
        requireOpen();
        return groups.get(group).spectrum();
    }

    /** Whether this is the data-aware split, made for the inputs of a given Gram. */
    public boolean isDataAware() {
        return dataAware;
    }

    /**
     * How far the inputs' Gram had to be shifted to factor ({@code G + s·I}), relative to its mean diagonal: the
     * largest over groups; 0 when it factored as it was, and for a plain split. A shift means the inputs were
     * rank-deficient (fewer rows than features, or features that move together). The split then minimises
     * {@code ||(W - W_r)·X||² + s·||W - W_r||²}, and the output errors it predicts exceed the inputs' own by that
     * second term, at most {@code s·||W||²}: the price of a factorization that exists.
     */
    public double relativeGramShift() {
        requireOpen();
        return relativeGramShift;
    }

    /**
     * Relative Frobenius error {@code ||W - W_r|| / ||W||} of this split's approximation at {@code rank}
     * (each group at {@code rank/g}), from the components alone: {@code sqrt(Σ_{j≥r} c_j² / Σ c_j²)}, with
     * {@code c_j} the singular values for a plain split (the best approximation, Eckart–Young), and for a
     * data-aware one the norms of the weight's coordinates in the kept directions (its approximation is a
     * projection, so {@code ||W - W_r||² = ||W||² - Σ_{j<r} c_j²}, summed here from the tail). 0 for an
     * all-zero weight.
     */
    public double relativeError(int rank) {
        cost.checkRank(rank);
        return relativeErrorAtGroupRank(tail, rank / cost.rankStep());
    }

    /**
     * Relative error of the layer's output on the inputs of its Gram at {@code rank},
     * {@code ||(W - W_r)·X|| / ||W·X||}, from the whitened singular values: {@code sqrt(Σ_{i≥r} σ_i² / Σ σ_i²)},
     * exact up to a shift of the Gram ({@link #relativeGramShift()}). For a convolution, the error summed over
     * the kernel offsets separately (the cross terms between offsets are not counted).
     *
     * @throws IllegalStateException for a plain split, which knows no inputs
     */
    public double relativeOutputError(int rank) {
        cost.checkRank(rank);
        requireDataAware();
        return relativeErrorAtGroupRank(outputTail, rank / cost.rankStep());
    }

    /**
     * The weight error, params and MACs per sample of every valid rank, and for a data-aware split the output
     * error ({@link #relativeError}, {@link #relativeOutputError}).
     */
    public RankProfile profile() {
        requireOpen();
        int count = tail.length - 1;
        int[] ranks = new int[count];
        double[] errors = new double[count];
        double[] outputErrors = dataAware ? new double[count] : null;
        long[] params = new long[count];
        long[] macs = cost.knowsMacs() ? new long[count] : null;
        for (int q = 1; q <= count; q++) {
            int rank = q * cost.rankStep();
            ranks[q - 1] = rank;
            errors[q - 1] = relativeErrorAtGroupRank(tail, q);
            if (outputErrors != null) {
                outputErrors[q - 1] = relativeErrorAtGroupRank(outputTail, q);
            }
            params[q - 1] = cost.params(rank);
            if (macs != null) {
                macs[q - 1] = cost.macs(rank);
            }
        }
        return new RankProfile(ranks, errors, outputErrors, params, macs);
    }

    /**
     * The energy rule: the smallest rank keeping at least {@code fraction} of the energy, i.e. whose squared
     * relative error is at most {@code 1 - fraction}. The energy is the weight's, {@code Σ s_i²}, for a plain
     * split, and the output's, {@code Σ σ_i²}, for a data-aware one (what that split is made to keep).
     *
     * @param fraction in (0, 1]; 1 asks for the full rank
     */
    public int rankForEnergy(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("energy fraction must be in (0, 1], got " + fraction);
        }
        requireOpen();
        double[] energyTail = dataAware ? outputTail : tail;
        double allowedTail = (1 - fraction) * energyTail[0];
        int q = 1;
        while (q < energyTail.length - 1 && energyTail[q] > allowedTail) {
            q++;
        }
        return q * cost.rankStep();
    }

    /**
     * The placement {@link #factors(int)} uses: {@link SingularValuePlacement#SECOND} for a plain split (the
     * reference's), {@link SingularValuePlacement#FIRST} for a data-aware one (its own form, the weight's
     * coordinates then the output directions, with nothing rescaled).
     */
    public SingularValuePlacement defaultPlacement() {
        return dataAware ? SingularValuePlacement.FIRST : SingularValuePlacement.SECOND;
    }

    /** The factor pair at {@code rank} with the {@linkplain #defaultPlacement() default placement}. */
    public FactorPair factors(int rank) {
        return factors(rank, defaultPlacement());
    }

    /**
     * The factor pair at a rank chosen by the cost model, with the {@linkplain #defaultPlacement() default placement}.
     *
     * @throws SplitRefusedException if the choice would not lower the cost
     */
    public FactorPair factors(RankChoice choice) {
        return factors(choice.requireWorthSplitting(), defaultPlacement());
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
        String method = !dataAware ? "plain" : relativeGramShift == 0 ? "data-aware"
                : "data-aware, Gram shifted by " + relativeGramShift + " of its mean diagonal";
        return "LayerSvd[" + geometry + ", " + method + ", " + groups.size() + " group(s), max rank " + maxRank()
                + (closed ? ", closed" : "") + "]";
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

    /**
     * {@code Σ over groups of Σ_{j≥q} v_j²} for every q, of the values {@code perGroup} gives (the component norms
     * or the whitened spectrum), scaled by a power of two: only ratios mean anything.
     */
    private static double[] squaredTails(List<GroupComponents> groups, Function<GroupComponents, Tensor> perGroup,
                                         Function<List<Tensor>, double[]> tails) {
        List<Tensor> values = groups.stream().map(perGroup).toList();
        try {
            return tails.apply(values);
        } finally {
            values.forEach(Tensor::close);
        }
    }

    private double relativeErrorAtGroupRank(double[] squaredTail, int q) {
        requireOpen();
        return squaredTail[0] == 0 ? 0 : Math.sqrt(squaredTail[q] / squaredTail[0]);
    }

    private void requireDataAware() {
        requireOpen();
        if (!dataAware) {
            throw new IllegalStateException("the plain decomposition of " + geometry + " knows nothing of its inputs, so it"
                    + " has no output error: decompose the layer with the Gram of its inputs for one");
        }
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
