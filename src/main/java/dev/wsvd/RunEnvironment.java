package dev.wsvd;

import java.util.Objects;

/**
 * Facts about the machine and settings a run used, so that times and scores can be compared across runs.
 *
 * @param wsvdVersion           the wsvd version
 * @param jdk                   the Java runtime, such as {@code Eclipse Adoptium 25+36-LTS}
 * @param os                    operating system and architecture, such as {@code Linux amd64}
 * @param availableProcessors   processors the JVM saw
 * @param simdImplementation    the vector kernel implementation in use, such as {@code Panama 256-bit} or {@code scalar}
 * @param blasThreads           OpenBLAS threads for a single decomposition
 * @param evaluationParallelism candidate evaluations run at the same time (1 = sequential)
 */
public record RunEnvironment(String wsvdVersion, String jdk, String os, int availableProcessors, String simdImplementation,
                             int blasThreads, int evaluationParallelism) {
    /** Checks that the texts are not blank and the counts at least 1. */
    public RunEnvironment {
        Checks.requireText(wsvdVersion, "wsvd version");
        Checks.requireText(jdk, "jdk");
        Checks.requireText(os, "os");
        Checks.requirePositive(availableProcessors, "available processors");
        Checks.requireText(simdImplementation, "SIMD implementation");
        Checks.requirePositive(blasThreads, "BLAS threads");
        Checks.requirePositive(evaluationParallelism, "evaluation parallelism");
    }

    /** The settings given plus the JDK, OS and processor count of the running JVM. */
    public static RunEnvironment detect(String wsvdVersion, String simdImplementation, int blasThreads, int evaluationParallelism) {
        Objects.requireNonNull(wsvdVersion, "wsvdVersion");
        String vendor = System.getProperty("java.vendor", "").trim();
        String jdk = (vendor.isEmpty() ? "" : vendor + " ") + Runtime.version();
        String os = System.getProperty("os.name", "unknown") + " " + System.getProperty("os.arch", "");
        return new RunEnvironment(wsvdVersion, jdk, os.trim(), Runtime.getRuntime().availableProcessors(), simdImplementation,
                blasThreads, evaluationParallelism);
    }
}
