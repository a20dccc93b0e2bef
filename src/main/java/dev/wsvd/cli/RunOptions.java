package dev.wsvd.cli;

import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.WeightSvdCompressor.CandidateModels;
import picocli.CommandLine.Option;

/** How a compression run uses the machine: the options {@code compress} and {@code demo} share. */
final class RunOptions {

    @Option(names = "--threads", paramLabel = "N", description = "Cores to use (default: all available processors).")
    Integer threads;

    @Option(names = "--eval-parallelism", paramLabel = "N",
            description = "Auto mode: candidate evaluations at a time, sharing the cores (default: as many as cores; 1:"
                    + " one after another).")
    Integer evalParallelism;

    @Option(names = "--candidate-models", paramLabel = "replaced-weight|rewritten-graph", defaultValue = "replaced-weight",
            description = "Auto mode, advanced: how a candidate reaches the evaluator. replaced-weight (default): the original"
                    + " model with the layer's weight swapped for its rank-r product, fed to one ONNX Runtime session per"
                    + " worker for the whole sweep; rewritten-graph: the model rewritten with the layer split and serialized,"
                    + " a session each. Same scores up to float rounding.")
    CandidateModels candidateModels;

    @Option(names = "--latency", paramLabel = "THREADS", arity = "0..1", fallbackValue = "0",
            description = "Also time ONNX Runtime inference of the original and the compressed model (warm-up, then the"
                    + " median and 95th percentile of at least 20 passes) with THREADS intra-op threads (default: --threads),"
                    + " on the evaluator's inputs or, with --eval none, on zeros of the --input-shape shapes; shown next to"
                    + " the MAC ratio in the table and the reports.")
    Integer latency;

    /** Applies the options given to {@code builder}; setters check the values (a bad one is a usage error). */
    WeightSvdCompressor.Builder applyTo(WeightSvdCompressor.Builder builder) {
        if (threads != null) {
            builder.threads(threads);
        }
        if (evalParallelism != null) {
            builder.evaluationParallelism(evalParallelism);
        }
        if (latency != null) {
            builder.latency(latency == 0 ? (threads != null ? threads : Runtime.getRuntime().availableProcessors()) : latency);
        }
        return builder.candidateModels(candidateModels);
    }
}
