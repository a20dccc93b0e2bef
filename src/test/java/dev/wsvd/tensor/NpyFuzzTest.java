package dev.wsvd.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy reader under {@link FuzzLoop}: each mutated file is read and every element decoded. */
class NpyFuzzTest {
    @TempDir
    Path folder;

    private List<byte[]> npySeeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        int i = 0;
        for (DType dtype : new DType[] {DType.F32, DType.F64, DType.F16}) {
            try (Tensor t = Tensor.allocate(dtype, Shape.of(6, 5))) {
                for (long j = 0; j < t.shape().size(); j++) {
                    t.setDouble(j, j * 0.25 - 3);
                }
                Path file = folder.resolve("seed" + i++ + ".npy");
                Npy.write(t, file);
                seeds.add(Files.readAllBytes(file));
            }
        }
        return seeds;
    }

    @Test
    void npyReaderOnlyAcceptsOrRefusesWithAFormatError() throws Exception {
        Path file = folder.resolve("fuzz.npy");
        FuzzLoop.Outcome outcome = FuzzLoop.fuzz("npy", npySeeds(), bytes -> {
            Files.write(file, bytes);
            try (Tensor t = Npy.read(file)) {
                for (long i = 0; i < t.shape().size(); i++) {
                    t.getDouble(i);
                }
            }
        }, NpyFormatException.class);
        assertTrue(outcome.refused() > FuzzLoop.ITERATIONS / 10 && outcome.accepted() > 0, "the mutations should reach both outcomes: " + outcome);
    }
}
