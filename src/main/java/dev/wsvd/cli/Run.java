package dev.wsvd.cli;

import dev.wsvd.compress.CandidateModels;
import dev.wsvd.compress.CompressionException;
import dev.wsvd.compress.CompressionResult;
import dev.wsvd.compress.ProgressListener;
import dev.wsvd.compress.WeightSvdCompressor;
import dev.wsvd.compress.WeightSvdParameters;
import dev.wsvd.compress.stats.CompressionStats;
import dev.wsvd.eval.EmbeddingFidelity;
import dev.wsvd.eval.EvaluationException;
import dev.wsvd.eval.ModelSource;
import dev.wsvd.layer.CostMetric;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.report.ReportWriter;
import dev.wsvd.report.TextReport;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** What {@code compress} and {@code demo} share: reading the model, running the compressor, printing and writing. */
final class Run {
    /** Prefix naming a model on the class path instead of a file. */
    static final String EMBEDDED_PREFIX = "classpath:";

    /** The --metric values. */
    enum Metric {
        mac(CostMetric.MAC), memory(CostMetric.MEMORY);

        private final CostMetric costMetric;

        Metric(CostMetric costMetric) {
            this.costMetric = costMetric;
        }

        CostMetric costMetric() {
            return costMetric;
        }
    }

    private final CommandSpec spec;
    private final WeightSvdParameters parameters;
    private final EvaluatorOptions evaluation;
    private final InputShapes shapes;
    private final Integer threads;
    private final Integer evalParallelism;
    private final CandidateModels candidateModels;

    Run(CommandSpec spec, WeightSvdParameters parameters, EvaluatorOptions evaluation, InputShapes shapes, Integer threads,
        Integer evalParallelism, CandidateModels candidateModels) {
        this.spec = spec;
        this.parameters = parameters;
        this.evaluation = evaluation;
        this.shapes = shapes;
        this.threads = threads;
        this.evalParallelism = evalParallelism;
        this.candidateModels = candidateModels;
    }

    /** Reads {@code replaced-weight} and {@code rewritten-graph}. */
    static final class CandidateModelsConverter implements ITypeConverter<CandidateModels> {
        @Override
        public CandidateModels convert(String value) {
            for (CandidateModels kind : CandidateModels.values()) {
                if (kind.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value)) {
                    return kind;
                }
            }
            throw new TypeConversionException("'" + value + "' is not replaced-weight or rewritten-graph");
        }
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
                throw usage(spec, argument + " is a folder; give the path of an .onnx file");
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
        PrintWriter out = spec.commandLine().getOut();
        ProgressListener progress = ProgressListener.console(System.err);
        try (EvaluatorOptions.PreparedEvaluator evaluator = evaluation.create(input.source(), embeddedTokenizer, input.file())) {
            WeightSvdCompressor.Builder builder = WeightSvdCompressor.builder(parameters).inputShapes(shapes).progress(progress)
                    .candidateModels(candidateModels);
            if (evaluator != null) {
                builder.evaluator(evaluator.evaluator());
                progress.note("scoring models by " + evaluator.description());
            }
            if (threads != null) {
                builder.threads(threads);
            }
            if (evalParallelism != null) {
                builder.evaluationParallelism(evalParallelism);
            }
            try (CompressionResult result = builder.build().compress(input.source(), output)) {
                CompressionStats stats = result.stats();
                if (!quietTable) {
                    out.println(TextReport.defaults().render(stats));
                }
                if (evaluator != null && evaluator.evaluator() instanceof EmbeddingFidelity fidelity) {
                    // What the mean cosine means for search: the pairs' top-1 retrieval, original against compressed.
                    EmbeddingFidelity.Score score = fidelity.evaluateDetailed(ModelSource.of(output));
                    out.println(String.format(Locale.ROOT, "Retrieval top-1 on the %d sentence pairs: original %.4f, compressed %.4f;"
                            + " worst sentence cosine %.4f", fidelity.pairs().size(), fidelity.baselineRetrievalAccuracy(),
                            score.retrievalAccuracy(), score.minCosine()));
                }
                out.println("wrote " + output + " (" + String.format(Locale.ROOT, "%.1f MB", stats.outputModel().sizeBytes() / 1e6) + ")");
                if (reportDirectory != null) {
                    ReportWriter.Written written = ReportWriter.write(stats, reportDirectory);
                    out.println("report: " + written.text() + ", " + written.json() + ", " + written.html().toUri());
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
            err.println("wsvd " + spec.name() + ": " + e.getMessage());
            err.println("Try 'wsvd " + spec.name() + " --help' for the options.");
            return 2;
        } catch (CompressionException | EvaluationException e) {
            err.println("wsvd " + spec.name() + ": " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            err.println("wsvd " + spec.name() + ": " + e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason()));
            return 1;
        } catch (IOException e) {
            err.println("wsvd " + spec.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("wsvd " + spec.name() + ": unexpected failure: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

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
