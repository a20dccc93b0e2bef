package dev.wsvd.cli;

import dev.wsvd.io.AtomicFile;
import dev.wsvd.io.OutputPaths;
import dev.wsvd.json.JsonDocuments;
import dev.wsvd.layer.ConvGeometry;
import dev.wsvd.layer.CostUnit;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerCost;
import dev.wsvd.layer.LayerGeometry;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.LinearGeometry;
import dev.wsvd.layer.RankChoice;
import dev.wsvd.layer.RankProfile;
import dev.wsvd.layer.Reconstruction;
import dev.wsvd.layer.SingularValuePlacement;
import dev.wsvd.layer.SplitRefusedException;
import dev.wsvd.linalg.GramAccumulator;
import dev.wsvd.linalg.LapackException;
import dev.wsvd.linalg.SvdMemoryException;
import dev.wsvd.nativelib.NativeLibraryException;
import dev.wsvd.tensor.Npy;
import dev.wsvd.tensor.Subnormals;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wsvd factor}: splits one weight tensor from a .npy file by truncated SVD and writes the two factors
 * as .npy files, printing the rank, the reconstruction error, the time spent in the SVD and the sizes.
 */
@Command(name = "factor",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Split one weight by truncated SVD into two factors A and B and write them as .npy files.",
                "Linear (default): W is out x in; A is r x in, B is out x r, and B·A = W_r.",
                "Conv (--kind conv): W is Cout x Cin/groups x kh x kw (or x k for Conv1d); A is a 1x1 convolution"
                        + " r x Cin/groups x 1 x 1, B is Cout x r/groups x kh x kw with the original stride, padding and"
                        + " dilation (AIMET Weight SVD's layout)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the factors were written", "1:the weight cannot be read or split, or a file cannot be written",
                "2:wrong arguments, checked before the SVD"},
        footer = {"", "Examples:",
                "  wsvd factor fc.npy --rank 64 --a fc0.npy --b fc1.npy",
                "  wsvd factor conv.npy --kind conv --energy 0.99 --a c0.npy --b c1.npy",
                "  wsvd factor conv.npy --kind conv --ratio 0.5 --input 28x28 --a c0.npy --b c1.npy --profile p.json",
                "  wsvd factor fc.npy --rank 64 --activations x.npy --a fc0.npy --b fc1.npy   (data-aware)"})
final class FactorCommand implements Callable<Integer> {

    /** The layer kind of the weight. */
    enum Kind {
        /** A fully connected layer: W is out x in. */
        LINEAR,
        /** A 1-D or 2-D convolution: W is Cout x Cin/groups x k... */
        CONV
    }

    static final class RankSpec {
        @Option(names = "--rank", paramLabel = "K", description = "Keep the K largest singular values (per layer; a multiple of --groups).")
        Integer rank;

        @Option(names = "--energy", paramLabel = "F",
                description = "Smallest rank keeping the fraction F (0 < F <= 1) of the sum of squared singular values.")
        Double energy;

        @Option(names = "--ratio", paramLabel = "R",
                description = "Largest rank whose cost is at most R (0..1) times the original's, as AIMET maps ratios to ranks"
                        + " (see --metric, --multiplicity).")
        Double ratio;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "W.npy", description = "The weight (.npy, f32/f64/f16).")
    Path weightFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    RankSpec rankSpec;

    @Option(names = "--a", required = true, paramLabel = "A.npy", description = "Where to write the first factor (runs first).")
    Path firstFile;

    @Option(names = "--b", required = true, paramLabel = "B.npy", description = "Where to write the second factor.")
    Path secondFile;

    @Option(names = "--kind", paramLabel = "linear|conv", defaultValue = "linear", description = "Layer kind: linear or conv (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--balanced", description = "Put sqrt(S) on each factor instead of all of S on B (quantizes better).")
    boolean balanced;

    @Option(names = "--groups", defaultValue = "1", description = "Convolution groups (default: ${DEFAULT-VALUE}); the rank is split evenly between them.")
    int groups;

    @Option(names = "--stride", split = "[x,]", paramLabel = "S", description = "Convolution stride, e.g. 2 or 2x2 (default 1); counts in MACs.")
    int[] stride;

    @Option(names = "--padding", split = "[x,]", paramLabel = "P",
            description = "Convolution padding: one value, one per axis, or begin pads then end pads (default 0).")
    int[] padding;

    @Option(names = "--dilation", split = "[x,]", paramLabel = "D", description = "Convolution dilation, e.g. 2 or 2x1 (default 1).")
    int[] dilation;

    @Option(names = "--input", split = "[x,]", paramLabel = "HxW",
            description = "Convolution input size, e.g. 28x28; gives the output size and so the MACs.")
    long[] inputSpatial;

    @Option(names = "--metric", paramLabel = "mac|memory", defaultValue = "mac", description = "Cost metric for --ratio: mac or memory (default: ${DEFAULT-VALUE}).")
    CostUnit metric;

    @Option(names = "--multiplicity", defaultValue = "1", description = "Round the --ratio rank up to a multiple of this (default: ${DEFAULT-VALUE}).")
    int multiplicity;

    @Option(names = "--activations", paramLabel = "X.npy",
            description = "Data-aware split: the layer's inputs, rows x in (Linear: input feature vectors; Conv: input channel"
                    + " vectors, one per sample and position, rows x Cin). The split keeps the rank-r weight whose outputs on"
                    + " these rows are nearest W's.")
    Path activationsFile;

    @Option(names = "--gram", paramLabel = "G.npy",
            description = "Data-aware split from the inputs' Gram G = sum of x·xᵀ instead: in x in (Conv: Cin x Cin).")
    Path gramFile;

    @Option(names = "--profile", paramLabel = "FILE.json", description = "Also write the error, params and MACs of every rank as JSON (snake_case, as report.json's error profiles).")
    Path profileFile;

    /**
     * Exit code 2 for a usage error (an option value, or options that do not fit the weight: fixed by changing the
     * command line), 1 when the files cannot be read or written or the weight cannot be split. Every option is checked
     * before the SVD.
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            run(out, err);
            return 0;
        } catch (ParameterException e) {
            return WsvdCommand.reportUsage(spec, e.getMessage());
        } catch (SvdMemoryException e) {
            err.println("wsvd factor: " + weightFile + ": " + e.getMessage() + (rankSpec.energy == null
                    ? " (a few ranks are asked for, but the thin SVD computes every rank before keeping them)" : ""));
            return 1;
        } catch (UserError | IllegalArgumentException | IllegalStateException | SplitRefusedException
                 | NativeLibraryException | LapackException e) {
            err.println("wsvd factor: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("wsvd factor: " + describe(e));
            return 1;
        } catch (UncheckedIOException e) {
            err.println("wsvd factor: " + describe(e.getCause()));
            return 1;
        } catch (InternalError e) {
            if (!MappedInputFault.is(e)) {
                throw e;
            }
            err.println("wsvd factor: " + MappedInputFault.message(weightFile));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void run(PrintWriter out, PrintWriter err) throws IOException {
        checkOptionValues();
        checkPaths();
        try (Tensor weight = Npy.read(weightFile)) {
            LayerGeometry geometry = geometryOf(weight.shape());
            LayerCost cost;
            try {
                cost = LayerCost.of(geometry);
            } catch (ArithmeticException e) {
                throw Run.usage(spec, weightFile + ": " + geometry + " costs more MACs than 64 bits count; check --input");
            }
            out.println(weightFile + ": " + geometry + ", " + weight.dtype() + " " + weight.shape());
            Integer chosenRank = rankWithoutTheSpectrum(cost, out);
            try (Tensor gram = inputGram(geometry); LayerSvd svd = decompose(geometry, weight, gram)) {
                int rank = chosenRank != null ? chosenRank : rankForEnergy(svd, out);
                SingularValuePlacement placement = balanced ? SingularValuePlacement.BALANCED : svd.defaultPlacement();
                try (FactorPair pair = svd.factors(rank, placement)) {
                    // flushed before the error is measured, so it is the error of the factors as written
                    long flushed = Subnormals.flushToZero(pair.first()) + Subnormals.flushToZero(pair.second());
                    double explicitError = Reconstruction.relativeError(geometry, weight, pair);
                    out.printf(Locale.ROOT, "rank: %d of %d%n", rank, cost.maxRank());
                    out.printf(Locale.ROOT, "relative Frobenius error ||W - B·A|| / ||W||: %.6g (from the singular values: %.6g)%n",
                            explicitError, svd.relativeError(rank));
                    if (svd.isDataAware()) {
                        out.printf(Locale.ROOT, "relative output error ||(W - B·A)·X|| / ||W·X|| (from the whitened spectrum): %.6g%n",
                                svd.relativeOutputError(rank));
                        if (svd.relativeGramShift() > 0) {
                            out.printf(Locale.ROOT, "note: the inputs' Gram was singular and was shifted by %.3g of its mean diagonal"
                                    + " to factor (fewer input rows than features, or features that move together)%n",
                                    svd.relativeGramShift());
                        }
                    }
                    out.printf(Locale.ROOT, "SVD time: %.1f ms%n", svd.decompositionTime().toNanos() / 1e6);
                    out.printf(Locale.ROOT, "params: %d -> %d (%.4f)%n", cost.originalParams(), cost.params(rank),
                            (double) cost.params(rank) / cost.originalParams());
                    if (cost.knowsMacs()) {
                        out.printf(Locale.ROOT, "MACs: %d -> %d (%.4f)%n", cost.originalMacs(), cost.macs(rank),
                                (double) cost.macs(rank) / cost.originalMacs());
                    }
                    cost.refusalAt(rank, CostUnit.MEMORY).ifPresent(refusal -> err.println("note: the factors are not smaller than W: "
                            + refusal.reason()));
                    if (flushed > 0) {
                        out.printf(Locale.ROOT, "subnormal values flushed to zero: %d (they would slow inference)%n", flushed);
                    }
                    // both factors complete on disk before either is published: a full disk leaves neither
                    try (AtomicFile.Staged first = stage(pair.first(), firstFile);
                         AtomicFile.Staged second = stage(pair.second(), secondFile)) {
                        first.publish();
                        second.publish();
                    }
                    out.println("wrote " + firstFile + " (" + pair.first().shape() + ") and " + secondFile + " (" + pair.second().shape() + ")");
                }
                if (profileFile != null) {
                    JsonDocuments.write(profileFile, Profile.of(weightFile.toString(), svd.profile(), cost));
                    out.println("wrote " + profileFile + " (error, params and MACs of every rank)");
                }
            }
        }
    }

    /** Stages a factor; a failure (a full disk says only "No space left on device") names the file. */
    private static AtomicFile.Staged stage(Tensor factor, Path file) throws IOException {
        try {
            return Npy.stage(factor, file);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + describe(e) + "; neither factor was written", e);
        }
    }

    /** The option values that are wrong whatever the weight: checked before any file is touched. */
    private void checkOptionValues() {
        if (rankSpec.energy != null && !(rankSpec.energy > 0 && rankSpec.energy <= 1)) {
            throw Run.usage(spec, "--energy must be in (0, 1], got " + rankSpec.energy);
        }
        if (rankSpec.ratio != null && !(rankSpec.ratio >= 0 && rankSpec.ratio <= 1)) {
            throw Run.usage(spec, "--ratio must be in [0, 1], got " + rankSpec.ratio);
        }
        if (multiplicity < 1) {
            throw Run.usage(spec, "--multiplicity must be at least 1, got " + multiplicity);
        }
        if (groups < 1) {
            throw Run.usage(spec, "--groups must be at least 1, got " + groups);
        }
        if (gramFile != null && activationsFile != null) {
            throw Run.usage(spec, "give the inputs once: --activations X.npy or --gram G.npy, not both");
        }
        checkAtLeast("--stride", stride, 1);
        checkAtLeast("--dilation", dilation, 1);
        checkAtLeast("--padding", padding, 0);
        if (inputSpatial != null) {
            for (long size : inputSpatial) {
                if (size < 1 || size > Integer.MAX_VALUE) {
                    throw Run.usage(spec, "--input sizes must be in 1.." + Integer.MAX_VALUE + ", got " + size);
                }
            }
        }
        if (kind == Kind.LINEAR && (groups != 1 || stride != null || padding != null || dilation != null || inputSpatial != null)) {
            throw Run.usage(spec, "--groups, --stride, --padding, --dilation and --input apply to --kind conv only");
        }
    }

    private void checkAtLeast(String option, int[] values, int least) {
        if (values != null) {
            for (int value : values) {
                if (value < least) {
                    throw Run.usage(spec, option + " values must be at least " + least + ", got " + value);
                }
            }
        }
    }

    /**
     * The {@code --profile} document: report.json's spelling of an error profile (src/docs/report-format.md), with the
     * ranks (multiples of the group count) and the original layer's cost under the names report.json gives them.
     *
     * @param macs       null when the convolution's output size is not known
     * @param macsBefore the same
     */
    record Profile(String format, int formatVersion, String layer, int[] ranks, double[] relativeError, long[] params,
                   long[] macs, long paramsBefore, Long macsBefore, double[] outputError) {
        static final String FORMAT = "wsvd-error-profile";
        static final int FORMAT_VERSION = 1;

        static Profile of(String layer, RankProfile profile, LayerCost cost) {
            return new Profile(FORMAT, FORMAT_VERSION, layer, profile.ranks(), profile.weightError(), profile.params(),
                    profile.macs(), cost.originalParams(), cost.knowsMacs() ? cost.originalMacs() : null, profile.outputError());
        }
    }

    /**
     * The Gram of the layer's inputs from {@code --gram} or {@code --activations}, or null for the plain split. Shapes are
     * checked against the weight's input side before any SVD (a mismatch is a usage error).
     */
    private Tensor inputGram(LayerGeometry geometry) throws IOException {
        if (gramFile == null && activationsFile == null) {
            return null;
        }
        int in = geometry.inChannels();
        String side = kind == Kind.CONV ? "Cin = " + in + " input channels" : "in = " + in + " input features";
        Path file = gramFile != null ? gramFile : activationsFile;
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + (Files.isDirectory(file) ? " is a folder, not an .npy file" : ": no such file"));
        }
        try (Tensor values = Npy.read(file)) {
            Shape shape = values.shape();
            if (gramFile != null) {
                if (shape.rank() != 2 || shape.dim(0) != in || shape.dim(1) != in) {
                    throw Run.usage(spec, "--gram " + file + " has shape " + shape + "; the weight's Gram is " + in + " x " + in
                            + " (" + side + ")");
                }
                return values.copy();
            }
            if (shape.rank() != 2 || shape.dim(1) != in) {
                throw Run.usage(spec, "--activations " + file + " has shape " + shape + "; it needs rows x " + in + " (" + side
                        + ", one input row per line)");
            }
            try (GramAccumulator accumulator = new GramAccumulator(in)) {
                accumulator.add(values);
                return accumulator.gram();
            } catch (IllegalArgumentException e) {
                throw new UserError(file + ": " + e.getMessage());
            }
        }
    }

    private LayerSvd decompose(LayerGeometry geometry, Tensor weight, Tensor gram) {
        try {
            return gram == null ? LayerSvd.decompose(geometry, weight) : LayerSvd.decompose(geometry, weight, null, gram);
        } catch (IllegalArgumentException | SplitRefusedException e) {
            throw new UserError(weightFile + ": " + e.getMessage());
        }
    }

    /** The rank {@code --rank} or {@code --ratio} gives, from the cost model alone; null for {@code --energy}. */
    private Integer rankWithoutTheSpectrum(LayerCost cost, PrintWriter out) {
        if (rankSpec.rank != null) {
            int rank = rankSpec.rank;
            if (rank < 1 || rank > cost.maxRank() || rank % cost.rankStep() != 0) {
                throw Run.usage(spec, "--rank " + rank + " is out of range for " + weightFile + ": valid ranks are " + cost.validRanks());
            }
            return rank;
        }
        if (rankSpec.ratio == null) {
            return null;
        }
        double ratio = rankSpec.ratio;
        if (metric == CostUnit.MAC && !cost.knowsMacs()) {
            throw Run.usage(spec, "--ratio with --metric mac needs the output size of the convolution: give --input HxW, or use"
                    + " --metric memory");
        }
        RankChoice choice = cost.choose(ratio, metric, multiplicity);
        out.printf(Locale.ROOT, "ratio %.6g (%s, multiplicity %d) -> rank %d%s, rounded ratio %.6g%n", ratio, metric,
                multiplicity, choice.rank(), choice.rank() != choice.unroundedRank() ? " (rounded up from " + choice.unroundedRank() + ")" : "",
                choice.roundedRatio());
        choice.refusalReason().ifPresent(reason -> { throw new UserError("not splitting " + weightFile + ": " + reason); });
        return choice.rank();
    }

    private int rankForEnergy(LayerSvd svd, PrintWriter out) {
        int rank = svd.rankForEnergy(rankSpec.energy);
        out.printf(Locale.ROOT, "energy %.6g keeps rank %d%n", rankSpec.energy, rank);
        return rank;
    }

    /** The layer the weight's shape describes, with the convolution attributes from the options. */
    LayerGeometry geometryOf(Shape shape) {
        if (kind == Kind.LINEAR) {
            if (shape.rank() != 2) {
                throw Run.usage(spec, weightFile + " has shape " + shape + " (" + shape.rank() + " axes); --kind linear needs a 2-D"
                        + " out x in matrix" + (shape.rank() >= 3 ? " (use --kind conv for convolution weights)" : ""));
            }
            try {
                return new LinearGeometry(shape.intDim(1), shape.intDim(0), false);
            } catch (IllegalArgumentException e) {
                throw new UserError(weightFile + " has shape " + shape + ": " + e.getMessage());
            }
        }
        if (shape.rank() != 3 && shape.rank() != 4) {
            throw Run.usage(spec, weightFile + " has shape " + shape + "; --kind conv needs Cout x Cin/groups x kh x kw (Conv2d)"
                    + " or Cout x Cin/groups x k (Conv1d)");
        }
        int axes = shape.rank() - 2;
        int[] kernel = new int[axes];
        for (int i = 0; i < axes; i++) {
            kernel[i] = shape.intDim(2 + i);
        }
        if (shape.dim(0) % groups != 0) {
            throw Run.usage(spec, "--groups " + groups + " must divide the " + shape.dim(0) + " output channels of " + weightFile);
        }
        try {
            ConvGeometry.Builder builder = ConvGeometry.builder(Math.multiplyExact(shape.intDim(1), groups), shape.intDim(0), kernel)
                    .groups(groups);
            if (stride != null) {
                builder.stride(perAxis("--stride", stride, axes));
            }
            if (dilation != null) {
                builder.dilation(perAxis("--dilation", dilation, axes));
            }
            if (padding != null) {
                builder.padding(padding.length == 1 ? perAxis("--padding", padding, axes) : padding);
            }
            if (inputSpatial != null) {
                builder.inputSpatial(inputSpatial.length == 1 && axes == 2 ? new long[] {inputSpatial[0], inputSpatial[0]} : inputSpatial);
            }
            return builder.build();
        } catch (IllegalArgumentException | ArithmeticException e) {
            // the kernel comes from the weight, the rest from the options: the fix is on the command line
            throw Run.usage(spec, "the convolution options do not fit " + weightFile + ": " + e.getMessage());
        }
    }

    private int[] perAxis(String option, int[] values, int axes) {
        if (values.length == axes) {
            return values;
        }
        if (values.length == 1) {
            int[] repeated = new int[axes];
            Arrays.fill(repeated, values[0]);
            return repeated;
        }
        throw Run.usage(spec, option + " " + Arrays.toString(values) + " needs 1 or " + axes + " values for this kernel");
    }

    /**
     * Outputs must not be the input (never overwrite it) nor each other, and must go to an existing folder: checked
     * before the SVD, so that a typo in an output path costs no work and leaves no factor written without its twin.
     */
    private void checkPaths() throws IOException {
        if (!Files.isRegularFile(weightFile)) {
            throw new UserError(weightFile + (Files.isDirectory(weightFile) ? " is a folder, not an .npy file" : ": no such file"));
        }
        Path[] outputs = profileFile == null ? new Path[] {firstFile, secondFile} : new Path[] {firstFile, secondFile, profileFile};
        Map<Path, String> inputs = new LinkedHashMap<>();
        inputs.put(weightFile, "the input file");
        if (activationsFile != null) {
            inputs.put(activationsFile, "the --activations file");
        }
        if (gramFile != null) {
            inputs.put(gramFile, "the --gram file");
        }
        for (int i = 0; i < outputs.length; i++) {
            requireWritableLocation(outputs[i]);
            for (Map.Entry<Path, String> input : inputs.entrySet()) {
                if (OutputPaths.sameFile(outputs[i], input.getKey())) {
                    throw new UserError(outputs[i] + " is " + input.getValue() + "; write the factors elsewhere (inputs are"
                            + " never overwritten)");
                }
            }
            for (int j = i + 1; j < outputs.length; j++) {
                if (OutputPaths.sameFile(outputs[i], outputs[j])) {
                    throw new UserError("two outputs are the same file: " + outputs[i]);
                }
            }
        }
    }

    /** The checks every output gets (one owner: {@link OutputPaths}); the input check above has the factors' wording. */
    private static void requireWritableLocation(Path output) throws IOException {
        try {
            OutputPaths.check(output, null);
        } catch (OutputPaths.Unusable e) {
            throw new UserError(e.getMessage());
        }
    }

    /** An I/O failure in words: the JDK's file exceptions carry only a path as their message. */
    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> missing.getFile() + ": no such file or folder";
            case AccessDeniedException denied -> denied.getFile() + ": permission denied";
            case FileSystemException other when other.getReason() != null -> other.getFile() + ": " + other.getReason();
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }

    /** A weight or file that cannot be processed (exit code 1): printed as is, no stack trace. */
    private static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }
}
