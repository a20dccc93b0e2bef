package dev.wsvd.linalg;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapped input truncated while it is read (issue 10, item 4): native code never reads a mapping (it would die
 * with SIGBUS), so the fault happens in a Java copy as an InternalError the caller can report. Run in a child JVM,
 * since before the fix the fault kills the process.
 */
class TruncatedMappedInputTest {
    @TempDir
    Path folder;

    @Test
    void aTruncatedMappingFaultsInJavaNotInNativeCode() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
                "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + folder.resolve("hs_err.log"),
                "-cp", System.getProperty("java.class.path"), TruncatedWhileMapped.class.getName(), folder.resolve("w.npy").toString())
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child should finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), "the child JVM died (SIGBUS?):\n" + output);
        assertTrue(output.contains("mapped true") && output.contains("survived"), output);
        assertTrue(output.contains("gemm: InternalError") && output.contains("svd: InternalError"), output);
    }
}
