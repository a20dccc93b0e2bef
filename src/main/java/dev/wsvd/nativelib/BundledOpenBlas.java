package dev.wsvd.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;

/**
 * The OpenBLAS natives inside org.bytedeco:openblas's platform jar on the classpath, under
 * {@code org/bytedeco/openblas/<classifier>/}.
 *
 * <p>Only three files matter: {@code libopenblas.so.0} (which exports LAPACKE_* and cblas_*) and the Fortran
 * runtime it needs, {@code libgfortran.so.5} and {@code libquadmath.so.0}. The jar's {@code libjniopenblas*.so}
 * are JavaCPP's JNI layer and are left alone, and so is its {@code libgcc_s.so.1}: the JVM has already loaded
 * the system's, which satisfies libgfortran.
 *
 * <p>Each file is identified by its size and CRC-32 as recorded in the jar's central directory, so describing
 * the bundle costs no decompression; the cache compares extracted copies against the same numbers.
 */
final class BundledOpenBlas {
    static final String OPENBLAS = "libopenblas.so.0";
    /**
     * Dependencies in load order, each before the library that needs it. libgfortran has no RUNPATH, so unless
     * the bundled libquadmath is already loaded the dynamic linker takes the system's (or finds none on a
     * machine without libquadmath0); libopenblas's RUNPATH $ORIGIN would find libgfortran by itself, but
     * loading it explicitly keeps the order obvious. Architectures without quad precision lack libquadmath.
     */
    private static final List<String> DEPENDENCIES = List.of("libquadmath.so.0", "libgfortran.so.5");
    private static final String POM_PROPERTIES = "META-INF/maven/org.bytedeco/openblas/pom.properties";

    /** One bundled file: where it is, and the size and CRC-32 its extracted copy must have. */
    record Resource(String name, URL url, long size, long crc32) {
    }

    private final Platform platform;
    private final String version;
    private final List<Resource> resources;

    private BundledOpenBlas(Platform platform, String version, List<Resource> resources) {
        this.platform = platform;
        this.version = version;
        this.resources = List.copyOf(resources);
    }

    /** The bundle for {@code platform} visible to {@code loader}, or empty when its jar is not on the classpath. */
    static Optional<BundledOpenBlas> find(ClassLoader loader, Platform platform) throws IOException {
        String directory = resourceDirectory(platform);
        URL openblas = loader.getResource(directory + OPENBLAS);
        if (openblas == null) {
            return Optional.empty();
        }
        List<Resource> resources = new ArrayList<>();
        for (String dependency : DEPENDENCIES) {
            URL url = loader.getResource(directory + dependency);
            if (url != null) {
                resources.add(describe(dependency, url));
            }
        }
        resources.add(describe(OPENBLAS, openblas));
        return Optional.of(new BundledOpenBlas(platform, readVersion(openblas, loader), resources));
    }

    static String resourceDirectory(Platform platform) {
        return "org/bytedeco/openblas/" + platform.classifier() + "/";
    }

    /** The files in load order, libopenblas last. */
    List<Resource> resources() {
        return resources;
    }

    String version() {
        return version;
    }

    /** Maven coordinates of the jar the natives come from. */
    String coordinates() {
        return "org.bytedeco:openblas:" + version + ":" + platform.classifier();
    }

    /**
     * Name of this bundle's directory in the cache: the version for people, and a digest of every file's name,
     * size and CRC-32 so that a rebuilt jar under the same version never reuses another build's files.
     */
    String cacheDirectoryName() {
        StringBuilder identity = new StringBuilder();
        for (Resource resource : resources) {
            identity.append(resource.name()).append(' ').append(resource.size()).append(' ')
                    .append(Long.toHexString(resource.crc32())).append('\n');
        }
        return "openblas-" + version + "-" + sha256(identity.toString()).substring(0, 12);
    }

    private static Resource describe(String name, URL url) throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry.getSize() >= 0 && entry.getCrc() >= 0) {
                return new Resource(name, url, entry.getSize(), entry.getCrc());
            }
        }
        // Not from a jar (an exploded classpath directory): the files are stored plainly, so reading them is cheap.
        CRC32 crc = new CRC32();
        long size = 0;
        try (InputStream in = url.openStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return new Resource(name, url, size, crc.getValue());
    }

    /** The version from the pom.properties of the jar holding {@code library}, else any on the classpath. */
    private static String readVersion(URL library, ClassLoader loader) throws IOException {
        Properties properties = new Properties();
        if (library.openConnection() instanceof JarURLConnection connection) {
            JarFile jar = connection.getJarFile();
            JarEntry entry = jar.getJarEntry(POM_PROPERTIES);
            if (entry != null) {
                try (InputStream in = jar.getInputStream(entry)) {
                    properties.load(in);
                }
            }
        }
        if (properties.isEmpty()) {
            try (InputStream in = loader.getResourceAsStream(POM_PROPERTIES)) {
                if (in != null) {
                    properties.load(in);
                }
            }
        }
        return properties.getProperty("version", "unknown-version");
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK provides SHA-256", e);
        }
    }
}
