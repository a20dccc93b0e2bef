package dev.wsvd.cli;

import dev.wsvd.CompressionException;
import dev.wsvd.CompressionResult;
import dev.wsvd.ProgressListener;
import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.CompressionStats;
import dev.wsvd.EmbeddingFidelity;
import dev.wsvd.EvaluationException;
import dev.wsvd.ModelSource;
import dev.wsvd.Score;
import dev.wsvd.report.ReportWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** What {@code compress} and {@code demo} share: reading the model, running the compressor, printing and writing. */
final class Run {
    /** Prefix naming a model on the class path instead of a file. */
    static final String EMBEDDED_PREFIX = "classpath:";

    private final CommandSpec spec;
    private final WeightSvdCompressor.Builder compressor;
    private final EvaluatorOptions evaluation;

    /**
     * @param compressor the mode and the settings the command line gave; {@link #execute} adds the evaluator
     *                   and progress
     */
    Run(CommandSpec spec, WeightSvdCompressor.Builder compressor, EvaluatorOptions evaluation) {
        this.spec = spec;
        this.compressor = compressor;
        this.evaluation = evaluation;
    }

    /** The model to compress: a file, or a class-path resource. */
    record Input(ModelSource source, Path file, String resource) {

        static Input of(String argument, CommandSpec spec) throws IOException {
            if (argument.startsWith(EMBEDDED_PREFIX)) {
                String name = argument.substring(EMBEDDED_PREFIX.length());
                String resource = name.startsWith("/") ? name : "/" + name;
                return new Input(ModelSource.fromResource(resource), null, resource);
            }
            Path file = Path.of(argument);
            if (!Files.exists(file)) {
                throw new NoSuchFileException(argument, null, "no such model file; give the path of an .onnx file, or "
                        + EMBEDDED_PREFIX + "all-minilm-l6-v2.onnx for the embedded model");
            }
            if (Files.isDirectory(file)) {
                throw new IOException(argument + " is a folder; give the path of an .onnx file");
            }
            return new Input(ModelSource.of(file), file, null);
        }

        boolean isEmbedded(String classPathResource) {
            return classPathResource.equals(resource);
        }
    }

    /**
     * Runs the compressor on {@code input} and reports.
     *
     * @return the exit code
     */
    int execute(Input input, Path output, Path reportDirectory, String embeddedTokenizer, boolean quietTable) throws Exception {
        return execute(input, output, reportDirectory, embeddedTokenizer, quietTable, null);
    }

    /**
     * A second run on the same input and evaluator, made first and kept in memory, whose scores are printed beside the
     * main run's.
     *
     * @param compressor  its settings
     * @param label       what it is, as the table's column head
     * @param mainLabel   what the main run is
     */
    record Comparison(WeightSvdCompressor.Builder compressor, String label, String mainLabel) {
    }

    /** As {@link #execute(Input, Path, Path, String, boolean)}, with {@code comparison} run first (or null for none). */
    int execute(Input input, Path output, Path reportDirectory, String embeddedTokenizer, boolean quietTable,
                Comparison comparison) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ProgressListener progress = ConsoleProgress.to(System.err);
        try (EvaluatorOptions.PreparedEvaluator evaluator = evaluation.create(input.source(), embeddedTokenizer, input.file())) {
            WeightSvdCompressor.Builder builder = compressor.progress(progress);
            if (evaluator != null) {
                builder.evaluator(evaluator.evaluator());
                progress.note("scoring models by " + evaluator.description());
            }
            CompressionStats compared = null;
            if (comparison != null) {
                progress.note("first, for comparison: " + comparison.label());
                WeightSvdCompressor.Builder other = comparison.compressor().progress(progress);
                if (evaluator != null) {
                    other.evaluator(evaluator.evaluator());
                }
                try (CompressionResult result = other.build().compress(input.source())) {
                    compared = result.stats();
                }
                progress.note("then " + comparison.mainLabel());
            }
            try (CompressionResult result = builder.build().compress(input.source(), output)) {
                CompressionStats stats = result.stats();
                if (!quietTable) {
                    out.println(ReportWriter.renderText(stats));
                }
                if (evaluator != null && evaluator.evaluator() instanceof EmbeddingFidelity fidelity && stats.scores() != null) {
                    // What the mean cosine means for search: the pairs' top-1 retrieval, original against compressed.
                    Score original = stats.scores().baseline();
                    Score compressed = stats.scores().compressed();
                    boolean heldOut = !fidelity.heldOutPairs().isEmpty();
                    out.println(String.format(Locale.ROOT, "Retrieval top-1 on the %d %ssentence pairs: original %.4f, compressed %.4f;"
                            + " worst sentence cosine %.4f", heldOut ? fidelity.heldOutPairs().size() : fidelity.pairs().size(),
                            heldOut ? "held-out " : "", original.measure(EmbeddingFidelity.RETRIEVAL_TOP1),
                            compressed.measure(EmbeddingFidelity.RETRIEVAL_TOP1), compressed.measure(EmbeddingFidelity.MIN_COSINE)));
                }
                out.println("wrote " + output + " (" + String.format(Locale.ROOT, "%.1f MB", stats.outputModel().sizeBytes() / 1e6) + ")");
                if (reportDirectory != null) {
                    ReportWriter.Written written = ReportWriter.write(stats, reportDirectory);
                    out.println("report: " + written.text() + ", " + written.json() + ", " + written.html().toUri());
                }
                if (compared != null) {
                    out.println();
                    out.print(SideBySide.render(List.of(comparison.label(), comparison.mainLabel()), List.of(compared, stats)));
                }
                out.flush();
            }
        }
        return 0;
    }

    /** Runs {@code body}, turning failures into a message and an exit code: 1 for a failed run, 2 for usage. */
    static int guarded(CommandSpec spec, Callable<Integer> body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.call();
        } catch (ParameterException | EvaluatorOptions.UsageException e) {
            return WsvdCommand.reportUsage(spec, e.getMessage());
        } catch (CompressionException | EvaluationException e) {
            err.println("wsvd " + spec.name() + ": " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            err.println("wsvd " + spec.name() + ": " + e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason()));
            return 1;
        } catch (IOException e) {
            err.println("wsvd " + spec.name() + ": " + e.getMessage());
            return 1;
        } catch (InternalError e) {
            if (!MappedInputFault.is(e)) {
                throw e;
            }
            err.println("wsvd " + spec.name() + ": " + MappedInputFault.message("the model"));
            return 1;
        } catch (Exception e) {
            err.println("wsvd " + spec.name() + ": unexpected failure: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** A usage error to throw: {@link #guarded} reports it as picocli's own usage errors are (exit code 2). */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    static double parseRatio(CommandSpec spec, String text, String what) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw usage(spec, what + ": '" + text + "' is not a number; a ratio is in (0, 1], e.g. 0.5");
        }
        if (!(value > 0 && value <= 1)) {
            throw usage(spec, what + ": the ratio must be in (0, 1] (compressed cost / original cost), got " + text);
        }
        return value;
    }
}
