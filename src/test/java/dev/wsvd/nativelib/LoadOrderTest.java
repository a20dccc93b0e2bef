package dev.wsvd.nativelib;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bindings find their symbols only among libraries already loaded (jextract's loader lookup), so every
 * public entry point must load OpenBLAS before it touches a binding. Each entry point is therefore called as the
 * first native call of a fresh JVM, where a missed {@code OpenBlas.load()} cannot hide behind an earlier test
 * that loaded the library. A raw binding called first is the counter-example: it must fail, naming the symbol.
 */
class LoadOrderTest {

    @Test
    void everyEntryPointWorksAsTheFirstCallOfAFreshJvm() throws Exception {
        runEachInAFreshJvm().forEach((call, outcome) ->
                assertTrue(outcome.startsWith("ok "), call + " as the first call: " + outcome));
    }

    @Test
    void aRawBindingCalledBeforeLoadingFailsNamingItsSymbol() throws Exception {
        String outcome = outcome(start(FirstCall.RAW_BINDING));
        assertEquals("failed java.lang.UnsatisfiedLinkError: unresolved symbol: openblas_get_num_threads", outcome);
    }

    /** All children start at once: each spends most of its time starting a JVM and loading OpenBLAS. */
    private static Map<String, String> runEachInAFreshJvm() throws Exception {
        Map<String, Process> children = new LinkedHashMap<>();
        for (String call : new TreeSet<>(FirstCall.entryPoints())) {
            children.put(call, start(call));
        }
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, Process> child : children.entrySet()) {
            outcomes.put(child.getKey(), outcome(child.getValue()));
        }
        return outcomes;
    }

    private static Process start(String call) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                FirstCall.class.getName(), call).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String outcome(Process child) throws Exception {
        String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), stdout);
        return stdout;
    }
}
