package dev.wsvd.nativelib;

import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;

/** Child process of {@link NativeCacheTest}: loads OpenBLAS as a user's JVM would and reports what it mapped. */
public final class LoadInFreshJvm {
    public static void main(String[] args) throws Exception {
        System.out.println(OpenBlas.config() + " from " + OpenBlas.origin());
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("libquadmath"))
                .map(line -> "libquadmath " + line.substring(line.indexOf('/')))
                .distinct().forEach(System.out::println);
        try (Tensor m = Tensor.ofDoubles(Shape.of(2, 2), 3, 0, 0, 4); SvdResult svd = Svd.thin(m)) {
            double[] s = svd.singularValues();
            System.out.println(Math.abs(s[0] - 4) < 1e-12 && Math.abs(s[1] - 3) < 1e-12 ? "svd ok" : "svd wrong: " + java.util.Arrays.toString(s));
        }
    }
}
