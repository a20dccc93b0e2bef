package dev.wsvd.nativelib;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the loader consults, gathered in one place so that tests can load from a chosen cache directory
 * or override without touching the process-wide library.
 *
 * @param propertyOverride    value of the system property {@value #LIBRARY_PROPERTY}, or null
 * @param environmentOverride value of the environment variable {@value #LIBRARY_ENV}, or null
 * @param cacheRoot           wsvd's cache directory; the natives go into a subdirectory named by their version
 * @param platform            the platform whose bundled natives to use
 * @param classLoader         where to look for the bundled natives
 */
record LoaderSettings(String propertyOverride, String environmentOverride, Path cacheRoot, Platform platform,
                      ClassLoader classLoader) {
    static final String LIBRARY_PROPERTY = "wsvd.openblas.library";
    static final String LIBRARY_ENV = "WSVD_OPENBLAS_LIBRARY";
    static final String CACHE_PROPERTY = "wsvd.cache.dir";

    LoaderSettings {
        Objects.requireNonNull(cacheRoot, "cacheRoot");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(classLoader, "classLoader");
    }

    /** The settings of this process: its system properties, environment, platform and wsvd's class loader. */
    static LoaderSettings fromEnvironment() {
        return new LoaderSettings(System.getProperty(LIBRARY_PROPERTY), System.getenv(LIBRARY_ENV),
                defaultCacheRoot(), Platform.current(), LoaderSettings.class.getClassLoader());
    }

    /** {@value #CACHE_PROPERTY} if set, else {@code $XDG_CACHE_HOME/wsvd}, else {@code ~/.cache/wsvd}. */
    static Path defaultCacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && Path.of(xdg).isAbsolute()) { // the XDG spec says to ignore relative values
            return Path.of(xdg, "wsvd");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "wsvd");
    }
}
