package dev.wsvd.nativelib;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The process-wide library as this test JVM loaded it, and its thread control. */
class OpenBlasTest {
    private int threadsBefore;

    @BeforeEach
    void rememberThreads() {
        threadsBefore = OpenBlas.threads();
    }

    @AfterEach
    void restoreThreads() {
        OpenBlas.setThreads(threadsBefore);
    }

    @Test
    void reportsTheBuildItLoaded() {
        assertTrue(OpenBlas.config().startsWith("OpenBLAS "), OpenBlas.config());
        assertFalse(OpenBlas.config().contains("USE64BITINT"));
        assertFalse(OpenBlas.coreName().isBlank());
        assertTrue(OpenBlas.libraryFiles().stream().allMatch(Files::isRegularFile), OpenBlas.libraryFiles().toString());
    }

    /**
     * The measured pitfall: libgfortran has no RUNPATH, so without the explicit preload the dynamic linker maps
     * the system's libquadmath (present on this machine) or fails (on a machine without libquadmath0).
     */
    @Test
    void bundledLibquadmathIsTheOneMapped() throws Exception {
        assumeTrue(OpenBlas.origin().startsWith("bundled"), "only when the bundled natives are in use");
        Path bundled = OpenBlas.libraryFiles().stream()
                .filter(p -> p.getFileName().toString().startsWith("libquadmath")).findFirst().orElseThrow();
        var mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("libquadmath") || line.contains("libgfortran"))
                .map(line -> line.substring(line.indexOf('/'))).distinct().toList();
        assertTrue(mapped.contains(bundled.toString()), mapped.toString());
        assertTrue(mapped.stream().allMatch(p -> p.startsWith(bundled.getParent().toString())),
                "a system copy is mapped too: " + mapped);
    }

    @Test
    void threadCountIsSettable() {
        OpenBlas.setThreads(1);
        assertEquals(1, OpenBlas.threads());
        OpenBlas.setThreads(2);
        assertEquals(2, OpenBlas.threads());
        assertThrows(IllegalArgumentException.class, () -> OpenBlas.setThreads(0));
    }

    @Test
    void defaultsToTheAvailableProcessors() {
        assumeTrue(System.getenv("OPENBLAS_NUM_THREADS") == null && System.getenv("GOTO_NUM_THREADS") == null
                && System.getenv("OMP_NUM_THREADS") == null, "an OpenBLAS variable chose the count");
        assertEquals(Math.min(64, Runtime.getRuntime().availableProcessors()), threadsBefore);
    }

    @Test
    @SuppressWarnings("try") // the outer section is held, not referenced
    void singleThreadedSectionsNestAndRestoreTheConfiguredCount() {
        OpenBlas.setThreads(2);
        try (var outer = OpenBlas.singleThreaded()) {
            assertEquals(1, OpenBlas.threads());
            var inner = OpenBlas.singleThreaded();
            inner.close();
            assertEquals(1, OpenBlas.threads(), "the outer section is still open");
            OpenBlas.setThreads(2); // takes effect when the last section closes
            assertEquals(1, OpenBlas.threads());
            inner.close(); // idempotent: must not end the outer section
            assertEquals(1, OpenBlas.threads());
        }
        assertEquals(2, OpenBlas.threads());
    }
}
