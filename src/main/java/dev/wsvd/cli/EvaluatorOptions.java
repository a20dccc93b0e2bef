package dev.wsvd.cli;

import dev.wsvd.ClassificationAccuracy;
import dev.wsvd.EmbeddingFidelity;
import dev.wsvd.EvaluationException;
import dev.wsvd.Evaluator;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.IdxFiles;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.ModelSource;
import dev.wsvd.eval.WordNetGlosses;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The {@code --eval} options shared by {@code compress} and {@code demo}: which evaluator, and its data. */
final class EvaluatorOptions {

    /** The evaluators the CLI offers. */
    enum Kind {
        accuracy, embedding, none
    }

    @Option(names = "--eval", paramLabel = "accuracy|embedding|none",
            description = {"How models are scored (higher is better). accuracy: top-1 accuracy on a labelled image set"
                    + " (default: the shipped 1,000-image Fashion-MNIST test slice; see --images/--labels). embedding:"
                    + " mean cosine between the model's and the original's sentence embeddings over WordNet 3.1 sentence"
                    + " pairs (see --tokenizer, --pairs). none: no scores (manual mode only). Default: none in manual mode;"
                    + " auto mode needs accuracy or embedding."})
    Kind kind;

    @Option(names = "--images", paramLabel = "IDX",
            description = "--eval accuracy: an IDX image file (N x rows x columns, unsigned bytes, as MNIST ships) instead"
                    + " of the Fashion-MNIST slice; pixels are scaled to [0, 1]. Needs --labels.")
    Path images;

    @Option(names = "--labels", paramLabel = "IDX", description = "--eval accuracy: the IDX label file for --images.")
    Path labels;

    @Option(names = "--samples", paramLabel = "N",
            description = "--eval accuracy: score on the first N images only (quicker, noisier). Default: all.")
    Integer samples;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "--eval embedding: the model's tokenizer.json (HuggingFace format). Default: the embedded"
                    + " all-MiniLM-L6-v2 tokenizer for the embedded model, else tokenizer.json next to the model or in its"
                    + " parent folder.")
    Path tokenizer;

    @Option(names = "--pairs", paramLabel = "N",
            description = "--eval embedding: number of WordNet definition/example sentence pairs (default: "
                    + WordNetGlosses.DEFAULT_PAIR_COUNT + ").")
    Integer pairs;

    @Option(names = "--held-out", paramLabel = "N",
            description = "The size of the held-out set the reported baseline and compressed scores use, disjoint from the"
                    + " search data that auto mode's candidates are scored on: --eval embedding: WordNet pairs sharing no"
                    + " sentence with the search pairs (default: " + EmbeddingFidelity.DEFAULT_HELD_OUT_PAIRS + "); --eval"
                    + " accuracy: Fashion-MNIST test images outside the search slice (default: "
                    + ClassificationAccuracy.DEFAULT_HELD_OUT_IMAGES + "; not for --images). 0: report scores on the search data.")
    Integer heldOut;

    /** The kind asked for, or {@code none} when not given. */
    Kind kindOrNone() {
        return kind == null ? Kind.none : kind;
    }

    /** Usage errors in these options, or null when they are consistent. */
    String usageProblem() {
        Kind chosen = kindOrNone();
        if ((images == null) != (labels == null)) {
            return "--images and --labels go together: give both IDX files or neither";
        }
        if (chosen != Kind.accuracy && (images != null || samples != null)) {
            return "--images, --labels and --samples belong to --eval accuracy";
        }
        if (chosen != Kind.embedding && (tokenizer != null || pairs != null)) {
            return "--tokenizer and --pairs belong to --eval embedding";
        }
        if (heldOut != null && chosen == Kind.none) {
            return "--held-out belongs to --eval accuracy or --eval embedding";
        }
        if (heldOut != null && images != null && heldOut != 0) {
            return "--held-out sizes the shipped Fashion-MNIST held-out set; with --images the scores use that file (give"
                    + " --held-out 0 or leave it out)";
        }
        if (heldOut != null && (heldOut < 0 || heldOut == 1)) {
            return "--held-out must be 0 (none) or at least 2, got " + heldOut;
        }
        if (samples != null && samples < 1) {
            return "--samples must be at least 1, got " + samples;
        }
        if (pairs != null && pairs < 2) {
            return "--pairs must be at least 2 (retrieval compares pairs with each other), got " + pairs;
        }
        return null;
    }

    /**
     * The evaluator for {@code model}, or null for {@code none}. It holds native memory: close it.
     *
     * @param embeddedTokenizer the class-path tokenizer to use when {@code model} is an embedded model, or null
     * @param modelFile         the model's file, where a tokenizer.json may sit next to it, or null
     */
    PreparedEvaluator create(ModelSource model, String embeddedTokenizer, Path modelFile)
            throws IOException, EvaluationException, UsageException {
        return switch (kindOrNone()) {
            case none -> null;
            case accuracy -> {
                ClassificationAccuracy.Builder builder = images == null ? ClassificationAccuracy.fashionMnistTestSlice()
                        : ClassificationAccuracy.idx(images, labels);
                if (samples != null) {
                    builder.limit(samples);
                }
                if (heldOut != null) {
                    builder.heldOutImages(heldOut);
                }
                ClassificationAccuracy accuracy = builder.build();
                yield new PreparedEvaluator(accuracy, accuracy::close, "top-1 accuracy: search on " + accuracy.searchData()
                        + (images == null ? "" : " of " + images) + ", reported scores on "
                        + (accuracy.hasHeldOut() ? "held-out " + accuracy.heldOutData() : "the same images"));
            }
            case embedding -> {
                EmbeddingFidelity.Builder builder = EmbeddingFidelity.builder(model);
                Path tokenizerFile = tokenizer != null ? tokenizer : besideModel(modelFile);
                if (tokenizerFile != null) {
                    builder.tokenizer(tokenizerFile);
                } else if (embeddedTokenizer != null) {
                    builder.tokenizerResource(embeddedTokenizer);
                } else {
                    throw new UsageException("--eval embedding needs the model's tokenizer: give --tokenizer PATH to its"
                            + " tokenizer.json (none was found next to " + modelFile + " or in its parent folder)");
                }
                int pairCount = pairs == null ? EmbeddingFidelity.DEFAULT_PAIRS : pairs;
                builder.wordNetPairs(pairCount, EmbeddingFidelity.DEFAULT_SEED);
                if (heldOut != null) {
                    builder.heldOutPairs(heldOut, EmbeddingFidelity.DEFAULT_HELD_OUT_SEED);
                }
                EmbeddingFidelity fidelity = builder.build();
                yield new PreparedEvaluator(fidelity, fidelity::close, String.format(Locale.ROOT,
                        "mean cosine to the original's embeddings: search on %s, reported scores on %s", fidelity.searchData(),
                        fidelity.heldOutPairs().isEmpty() ? "the same pairs" : fidelity.heldOutData()));
            }
        };
    }

    private static Path besideModel(Path modelFile) {
        if (modelFile == null) {
            return null;
        }
        // HuggingFace repositories keep the ONNX export in onnx/ and tokenizer.json at the top.
        Path folder = modelFile.toAbsolutePath().getParent();
        Path beside = folder.resolve("tokenizer.json");
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        Path above = folder.getParent() == null ? null : folder.getParent().resolve("tokenizer.json");
        if (above != null && Files.isRegularFile(above)) {
            return above;
        }
        return null;
    }

    /** An evaluator, what frees its native resources after the run, and a line saying what it measures. */
    record PreparedEvaluator(Evaluator evaluator, Runnable release, String description) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    /** A problem with the command line found only once files are looked at: exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
