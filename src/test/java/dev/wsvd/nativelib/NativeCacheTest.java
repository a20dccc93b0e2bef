package dev.wsvd.nativelib;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Extraction into the cache: once, verified, healed when damaged, and safe when several threads or JVMs start
 * at once. Most tests use a small stand-in bundle on an exploded class path (random bytes under the bundle's
 * resource names) so that they run in milliseconds; one uses the real jar.
 */
class NativeCacheTest {
    private static final String DIRECTORY = BundledOpenBlas.resourceDirectory(Platform.LINUX_X86_64);

    @TempDir
    static Path classPath;
    private static ClassLoader standInLoader;

    @BeforeAll
    static void createStandInBundle() throws IOException {
        Random random = new Random(1);
        Path natives = Files.createDirectories(classPath.resolve(DIRECTORY));
        Files.write(natives.resolve("libquadmath.so.0"), randomBytes(random, 100_000));
        Files.write(natives.resolve("libgfortran.so.5"), randomBytes(random, 1_000_000));
        Files.write(natives.resolve("libopenblas.so.0"), randomBytes(random, 6_000_000));
        Files.write(natives.resolve("libjniopenblas.so"), randomBytes(random, 1000)); // must be ignored
        Path pom = Files.createDirectories(classPath.resolve("META-INF/maven/org.bytedeco/openblas"));
        Files.writeString(pom.resolve("pom.properties"), "version=9.9-test\n");
        standInLoader = new URLClassLoader(new URL[]{classPath.toUri().toURL()}, null);
    }

    private static BundledOpenBlas standIn() throws IOException {
        return BundledOpenBlas.find(standInLoader, Platform.LINUX_X86_64).orElseThrow();
    }

    @Test
    void bundleListsItsLibrariesDependenciesFirst() throws IOException {
        BundledOpenBlas bundle = standIn();
        assertEquals(List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"),
                bundle.resources().stream().map(BundledOpenBlas.Resource::name).toList());
        assertEquals("9.9-test", bundle.version());
        assertTrue(bundle.cacheDirectoryName().matches("openblas-9\\.9-test-[0-9a-f]{12}"), bundle.cacheDirectoryName());
    }

    @Test
    void realBundleIsDescribedFromTheJarWithoutUnpacking() throws IOException {
        BundledOpenBlas bundle = BundledOpenBlas.find(getClass().getClassLoader(), Platform.LINUX_X86_64).orElseThrow();
        assertEquals(OpenBlasLoader.TESTED_BUNDLE_VERSION, bundle.version());
        assertEquals("org.bytedeco:openblas:" + OpenBlasLoader.TESTED_BUNDLE_VERSION + ":linux-x86_64", bundle.coordinates());
        assertEquals(3, bundle.resources().size());
        assertTrue(bundle.resources().getLast().size() > 10_000_000, "libopenblas.so.0 is tens of MB");
    }

    @Test
    void extractsIntactCopiesOnceAndReusesThem(@TempDir Path cache) throws IOException {
        BundledOpenBlas bundle = standIn();
        Path directory = NativeCache.materialize(bundle, cache);
        assertEquals(cache.resolve(bundle.cacheDirectoryName()), directory);
        for (BundledOpenBlas.Resource resource : bundle.resources()) {
            assertArrayEquals(source(resource.name()), Files.readAllBytes(directory.resolve(resource.name())));
        }
        assertFalse(Files.exists(directory.resolve("libjniopenblas.so")), "JavaCPP's JNI layer is not extracted");
        Object inode = Files.readAttributes(directory.resolve("libopenblas.so.0"),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        assertEquals(directory, NativeCache.materialize(bundle, cache));
        Object inodeAfter = Files.readAttributes(directory.resolve("libopenblas.so.0"),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertEquals(inode, inodeAfter, "an intact copy is reused, not rewritten");
    }

    @Test
    void damagedCopiesAreReplaced(@TempDir Path cache) throws IOException {
        BundledOpenBlas bundle = standIn();
        Path directory = NativeCache.materialize(bundle, cache);
        Path openblas = directory.resolve("libopenblas.so.0");
        byte[] flipped = Files.readAllBytes(openblas);
        flipped[flipped.length / 2] ^= 1; // same size, one bit off
        Files.write(openblas, flipped);
        Path gfortran = directory.resolve("libgfortran.so.5");
        byte[] half = java.util.Arrays.copyOf(Files.readAllBytes(gfortran), 500_000); // a half-written file
        Files.write(gfortran, half);
        Files.delete(directory.resolve("libquadmath.so.0"));

        NativeCache.materialize(bundle, cache);
        for (BundledOpenBlas.Resource resource : bundle.resources()) {
            assertArrayEquals(source(resource.name()), Files.readAllBytes(directory.resolve(resource.name())),
                    resource.name() + " was not healed");
        }
    }

    @Test
    void concurrentExtractionByManyThreadsLeavesOneIntactCopy(@TempDir Path cache) throws Exception {
        BundledOpenBlas bundle = standIn();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Path> extract = () -> {
                    start.await();
                    return NativeCache.materialize(bundle, cache);
                };
                results.add(pool.submit(extract));
            }
            start.countDown();
            for (Future<Path> result : results) {
                assertEquals(cache.resolve(bundle.cacheDirectoryName()), result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        Path directory = cache.resolve(bundle.cacheDirectoryName());
        for (BundledOpenBlas.Resource resource : bundle.resources()) {
            assertTrue(NativeCache.isIntact(directory.resolve(resource.name()), resource), resource.name());
        }
        try (var files = Files.list(directory)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    /**
     * Two fresh JVMs start at once against an empty cache: both must extract or reuse without corrupting each
     * other, load the real natives, and map the bundled libquadmath rather than the system's.
     */
    @Test
    void twoJvmsStartingAtOnceBothLoadFromOneCache(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-D" + LoaderSettings.CACHE_PROPERTY + "=" + cache,
                    "-cp", System.getProperty("java.class.path"), LoadInFreshJvm.class.getName())
                    .redirectErrorStream(true).start());
        }
        for (Process process : processes) {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("libquadmath " + cache), output);
            assertTrue(output.contains("svd ok"), output);
        }
        BundledOpenBlas bundle = BundledOpenBlas.find(getClass().getClassLoader(), Platform.LINUX_X86_64).orElseThrow();
        for (BundledOpenBlas.Resource resource : bundle.resources()) {
            assertTrue(NativeCache.isIntact(cache.resolve(bundle.cacheDirectoryName()).resolve(resource.name()), resource));
        }
    }

    private static byte[] source(String name) throws IOException {
        return Files.readAllBytes(classPath.resolve(DIRECTORY).resolve(name));
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
