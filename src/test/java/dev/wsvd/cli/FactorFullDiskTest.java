package dev.wsvd.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Npy;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code factor} on a disk that fills up while it writes (issue 10, item 15): both factors or neither. A child
 * JVM runs under {@code ulimit -f 8} (files of at most 8 KiB), so the small first factor fits and the 16 KB
 * second one does not; before the fix the first was left alone on disk.
 */
class FactorFullDiskTest {
    @TempDir
    Path folder;

    @Test
    void aWriteFailureLeavesNeitherFactorNorATemporary() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        try (Tensor w = Tensor.allocate(DType.F32, Shape.of(2000, 4))) {
            for (long i = 0; i < w.shape().size(); i++) {
                w.setDouble(i, Math.sin(i));
            }
            Npy.write(w, folder.resolve("tall.npy"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -f 8; exec '" + java + "' -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' " + WsvdCommand.class.getName()
                + " factor tall.npy --rank 2 --a a.npy --b b.npy";
        Process child = new ProcessBuilder("/bin/bash", "-c", command).directory(folder.toFile()).redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, child.exitValue(), output);
        assertTrue(output.contains("wsvd factor: cannot write b.npy") && output.contains("neither factor was written"), output);
        assertFalse(Files.exists(folder.resolve("a.npy")), "the first factor must not be published alone");
        assertFalse(Files.exists(folder.resolve("b.npy")));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
