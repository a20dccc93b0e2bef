package dev.wsvd.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorizationTest {
    private static final Optional<String> NO_PROBLEM = Optional.empty();

    /** The build adds jdk.incubator.vector and every x86-64/AArch64 CPU has 128-bit vectors. */
    @Test
    void choosesPanamaUnderTheBuildsFlags() {
        assertTrue(Vectorization.panama().isPresent(), () -> "unavailable: " + Vectorization.panamaUnavailableReason().orElse("?"));
        assertEquals("panama", Vectorization.kernels().name());
        String description = Vectorization.kernels().description();
        assertTrue(description.contains(FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit"), description);
        assertTrue(description.contains(FloatVector.SPECIES_PREFERRED.length() + " f32"), description);
    }

    @Test
    void propertyForcesAnImplementationOrExplainsItsMistake() {
        VectorKernels forcedScalar = Vectorization.choose(" Scalar ", NO_PROBLEM).kernels();
        assertEquals("scalar", forcedScalar.name());
        assertEquals("scalar (forced by -Dwsvd.simd=scalar)", forcedScalar.description());
        assertSame(Vectorization.panama().orElseThrow(), Vectorization.choose("panama", NO_PROBLEM).kernels());
        assertSame(Vectorization.panama().orElseThrow(), Vectorization.choose(null, NO_PROBLEM).kernels());
        assertSame(Vectorization.panama().orElseThrow(), Vectorization.choose("", NO_PROBLEM).kernels());
        Vectorization.Choice wrong = Vectorization.choose("avx512", NO_PROBLEM);
        assertNull(wrong.kernels());
        assertTrue(wrong.problem().contains("-Dwsvd.simd=avx512") && wrong.problem().contains("scalar or panama"), wrong.problem());
    }

    /** Without C2 the default is scalar, and its description carries the reason; asking for panama still gets it. */
    @Test
    void withoutC2TheDefaultIsScalarAndSaysWhy() {
        Optional<String> withoutC2 = Optional.of("C2 is disabled (-XX:TieredStopAtLevel=1)");
        VectorKernels chosen = Vectorization.choose(null, withoutC2).kernels();
        assertEquals("scalar", chosen.name());
        assertEquals("scalar (Vector API not used: C2 is disabled (-XX:TieredStopAtLevel=1), and without C2 it runs"
                + " about 10x slower than these loops)", chosen.description());
        assertSame(Vectorization.panama().orElseThrow(), Vectorization.choose("panama", withoutC2).kernels());
    }

    /** The decision in a real JVM started with only C1: nothing printed, the reason in the description. */
    @Test
    void aJvmWithoutC2ChoosesScalarForItsKernels() throws Exception {
        List<String> output = runProbe(List.of("--add-modules=jdk.incubator.vector", "-XX:TieredStopAtLevel=1"));
        assertEquals("kernels=scalar", output.get(0), output::toString);
        assertEquals("description=scalar (Vector API not used: C2 is disabled (-XX:TieredStopAtLevel=1), and without C2"
                + " it runs about 10x slower than these loops)", output.get(1), output::toString);
        assertEquals(3, output.size(), () -> "the probe's JVM printed something of its own: " + output);
    }

    /** Without the module the provider must not even link against it, and say how to get it when forced. */
    @Test
    void fallsBackToScalarInAJvmWithoutTheVectorModule() throws Exception {
        List<String> output = runProbe(List.of());
        assertEquals("kernels=scalar", output.get(0), output::toString);
        assertTrue(output.get(1).contains("Vector API unavailable") && output.get(1).contains("--add-modules"), output::toString);
        assertTrue(output.get(2).startsWith("forced-panama=-Dwsvd.simd=panama was requested")
                && output.get(2).contains("--add-modules jdk.incubator.vector"), output::toString);
    }

    @Test
    void propertyIsReadAtStartUp() throws Exception {
        List<String> forcedScalar = runProbe(List.of("--add-modules=jdk.incubator.vector", "-Dwsvd.simd=scalar"));
        assertEquals("kernels=scalar", forcedScalar.get(0), forcedScalar::toString);
        List<String> bogus = runProbe(List.of("--add-modules=jdk.incubator.vector", "-Dwsvd.simd=fast"));
        assertTrue(bogus.get(0).startsWith("error=-Dwsvd.simd=fast is not an implementation"), bogus::toString);
    }

    @Test
    void vectorSizesAreCheckedBeforeUse() {
        assertNull(PanamaVectorKernels.sizeProblem(null), "unset: the preferred size");
        for (String size : new String[]{"128", " 256 ", "512"}) {
            assertNull(PanamaVectorKernels.sizeProblem(size), size);
        }
        assertEquals("-Dwsvd.simd.bits=96 is not a vector size; use 128, 256 or 512", PanamaVectorKernels.sizeProblem("96"));
        assertEquals("-Dwsvd.simd.bits=1024 is not a vector size; use 128, 256 or 512", PanamaVectorKernels.sizeProblem("1024"));
        assertEquals("-Dwsvd.simd.bits=wide is not a vector size; use 128, 256 or 512", PanamaVectorKernels.sizeProblem("wide"));
    }

    /** The size property takes effect at start-up, and a size the kernels cannot use is an error, not a fallback. */
    @Test
    void vectorSizePropertyIsReadAtStartUp() throws Exception {
        List<String> narrow = runProbe(List.of("--add-modules=jdk.incubator.vector", "-Dwsvd.simd.bits=128"));
        assertEquals("kernels=panama", narrow.get(0), narrow::toString);
        assertTrue(narrow.get(1).startsWith("description=panama (128-bit vectors: 4 f32 / 2 f64 lanes"), narrow::toString);
        List<String> bogus = runProbe(List.of("--add-modules=jdk.incubator.vector", "-Dwsvd.simd.bits=100"));
        assertEquals("error=-Dwsvd.simd.bits=100 is not a vector size; use 128, 256 or 512", bogus.get(0), bogus::toString);
        List<String> scalar = runProbe(List.of("--add-modules=jdk.incubator.vector", "-Dwsvd.simd.bits=100", "-Dwsvd.simd=scalar"));
        assertEquals("kernels=scalar", scalar.get(0), "forcing scalar needs no vector size: " + scalar);
    }

    private static List<String> runProbe(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(VectorizationProbe.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, process.exitValue(), stdout);
        return stdout.lines().toList();
    }
}
