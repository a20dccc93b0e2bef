package dev.wsvd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module descriptor as a consumer meets it: code in a module that {@code requires dev.wsvd} compiles against
 * the API package, the README's in-process example compiles as written, and the internal packages are out of
 * reach. Compiled with the JDK's compiler against {@code target/classes} and the runtime dependencies on the
 * module path (tests themselves run on the class path).
 */
class ModuleBoundaryTest {
    /** The runtime dependencies, by file name: the test-only jars stay off the module path. */
    private static final Pattern RUNTIME_JAR = Pattern.compile(
            "(protobuf-java|jackson-(core|databind|annotations)|onnxruntime|tokenizers|api|picocli)-[0-9].*\\.jar");
    /** The README's example: the fenced block after this marker. */
    private static final String README_MARKER = "<!-- in-process example: ModuleBoundaryTest compiles this block -->";

    @TempDir
    Path dir;

    @Test
    void aConsumerModuleCompilesAgainstTheApiPackageAlone() throws Exception {
        String errors = compileConsumer("""
                package consumer;

                import dev.wsvd.*;
                import dev.wsvd.report.ReportWriter;

                public class UsesTheApi {
                    public static String run(byte[] bytes, Evaluator evaluator) throws WsvdException {
                        WeightSvdCompressor compressor = WeightSvdCompressor.builder().target(0.5).evaluator(evaluator)
                                .metric(CostMetric.MEMORY).multiplicity(8).build();
                        try (CompressionResult result = compressor.compress(ModelSource.of(bytes))) {
                            CompressionStats stats = result.stats();
                            Score compressed = stats.scores().compressed();
                            return ReportWriter.renderText(stats) + compressed.value();
                        }
                    }
                }
                """);
        assertEquals("", errors);
    }

    /** The JSON documents are records the mapper reads reflectively: their packages must be opened to it. */
    @Test
    void aConsumerModuleWritesTheJsonReport() throws Exception {
        String errors = compileConsumer("""
                package consumer;

                import dev.wsvd.*;
                import dev.wsvd.CompressionStats.*;
                import dev.wsvd.report.ReportWriter;

                public class WritesTheReport {
                    public static void main(String[] args) {
                        LayerStats layer = LayerStats.builder("fc").op("Gemm").weightShape(4, 8).maxRank(4).costBefore(32, 32)
                                .compressed(2, 0.75, 0.1, 24, 24).build();
                        CompressionStats stats = CompressionStats.builder(CompressionMode.MANUAL, CostMetric.MAC).layer(layer)
                                .environment(RunEnvironment.detect("test", "scalar", 1, 1)).inputModel(ModelFile.inMemory(100))
                                .build();
                        System.out.print(ReportWriter.renderJson(stats));
                    }
                }
                """);
        assertEquals("", errors);
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath() + File.pathSeparator + dir.resolve("consumer/out"),
                "-m", "consumer/consumer.WritesTheReport").redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertEquals(0, java.waitFor(), output);
        assertTrue(output.contains("\"format_version\" : 1") && output.contains("\"max_rank\" : 4"), output);
    }

    @Test
    void theInternalPackagesAreNotExported() throws Exception {
        String errors = compileConsumer("""
                package consumer;

                public class ReachesInside {
                    Object svd = dev.wsvd.layer.LayerSvd.class;
                    Object tensor = dev.wsvd.tensor.Tensor.class;
                    Object session = dev.wsvd.runtime.ModelSession.class;
                }
                """);
        String text = errors;
        for (String internal : List.of("dev.wsvd.layer", "dev.wsvd.tensor", "dev.wsvd.runtime")) {
            // -XDrawDiagnostics: the compiler's message keys, the same in every locale
            assertTrue(text.contains("compiler.err.package.not.visible: " + internal + ", (compiler.misc.not.def.access.not.exported"),
                    internal + " must be out of reach:\n" + text);
        }
    }

    @Test
    void theReadmeExampleCompilesAsWritten() throws Exception {
        String example = readmeExample();
        assertTrue(example.contains("import dev.wsvd.*;"), "the example imports the API package:\n" + example);
        assertTrue(example.lines().filter(line -> line.startsWith("import dev.wsvd")).count() == 1,
                "the example imports one wsvd package:\n" + example);
        String errors = compile(dir.resolve("readme"), List.of(
                source("module-info.java", "module readme { requires dev.wsvd; requires com.microsoft.onnxruntime; }"),
                source(exampleClassName(example) + ".java", example)));
        assertEquals("", errors);
    }

    @Test
    void theConsumerProjectRunsTheReadmeExampleVerbatim() throws Exception {
        Path consumer = Path.of("src/it/consumer/src/main/java/CompressAndServe.java");
        assertEquals(readmeExample(), Files.readString(consumer),
                "the consumer project (src/it/consumer, built and run by mvn verify) must run the README's example as written");
    }

    /** The README's in-process example: the first fenced java block after {@link #README_MARKER}. */
    static String readmeExample() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int marker = readme.indexOf(README_MARKER);
        assertTrue(marker >= 0, "README.md lost the marker " + README_MARKER);
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(marker), "no ```java block after the marker");
        return block.group(1);
    }

    private static String exampleClassName(String example) {
        Matcher matcher = Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)").matcher(example);
        assertTrue(matcher.find(), "the example declares a class");
        return matcher.group(1);
    }

    private String compileConsumer(String code) throws Exception {
        Matcher type = Pattern.compile("public class (\\w+)").matcher(code);
        assertTrue(type.find());
        return compile(dir.resolve("consumer"), List.of(
                source("module-info.java", "module consumer { requires dev.wsvd; }"),
                source("consumer/" + type.group(1) + ".java", code)));
    }

    private record Source(String path, String code) {
    }

    private static Source source(String path, String code) {
        return new Source(path, code);
    }

    /** Compiles {@code sources} as one module; returns what the compiler printed (empty when it compiled cleanly). */
    private String compile(Path root, List<Source> sources) throws Exception {
        // An explicit, empty class path: the compiler would otherwise take this JVM's, where wsvd's classes sit unnamed.
        Path emptyClassPath = Files.createDirectories(root.resolve("empty"));
        List<String> arguments = new ArrayList<>(List.of("--module-path", modulePath(), "--class-path", emptyClassPath.toString(),
                "-d", root.resolve("out").toString(), "-proc:none", "-Xlint:none", "-XDrawDiagnostics"));
        for (Source source : sources) {
            Path file = root.resolve("src").resolve(source.path());
            Files.createDirectories(file.getParent());
            arguments.add(Files.writeString(file, source.code()).toString());
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("this JDK has no javac"));
        StringWriter output = new StringWriter();
        try (PrintWriter writer = new PrintWriter(output)) {
            int status = javac.run(writer, writer, arguments.toArray(String[]::new));
            writer.flush();
            return status == 0 ? "" : output.toString();
        }
    }

    /** {@code target/classes} (the dev.wsvd module) and the runtime jars from this test's class path. */
    private static String modulePath() {
        List<String> entries = new ArrayList<>();
        entries.add(Path.of("target/classes").toAbsolutePath().toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (RUNTIME_JAR.matcher(Path.of(entry).getFileName().toString()).matches()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

}
