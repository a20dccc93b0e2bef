package dev.wsvd.nativelib;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds and loads OpenBLAS: an override named by {@value LoaderSettings#LIBRARY_PROPERTY} or
 * {@value LoaderSettings#LIBRARY_ENV} when set, else the natives bundled in org.bytedeco:openblas's platform
 * jar, extracted into the cache.
 *
 * <p>Libraries are loaded with {@link System#load}, which ties them to this class's class loader: that is where
 * the bindings in {@code dev.wsvd.bindings.openblas} look their symbols up, as jextract generates them without
 * {@code --library} ({@code SymbolLookup.loaderLookup()}, then the default lookup). A library loaded so is never
 * unloaded, which suits BLAS (its thread pool lives as long as the process). Every symbol the bindings bind is
 * checked in the loaded files before any binding runs, so a missing one is named here rather than surfacing as
 * an {@link UnsatisfiedLinkError} from inside a binding class.
 */
final class OpenBlasLoader {
    /** The bundle wsvd is built and tested against; keep in step with pom.xml's openblas.version. */
    static final String TESTED_BUNDLE_VERSION = "0.3.31-1.5.13";

    /** What a good override names, for every message that suggests one. */
    private static final String GOOD_OVERRIDE = "an OpenBLAS shared library that exports LAPACKE_* and cblas_* (list"
            + " several files separated by '" + File.pathSeparator + "' when LAPACKE is a separate library, as on"
            + " Debian and Ubuntu: /usr/lib/x86_64-linux-gnu/libopenblas.so.0" + File.pathSeparator
            + "/usr/lib/x86_64-linux-gnu/liblapacke.so.3 from apt-get install libopenblas0-pthread liblapacke)";
    private static final String OVERRIDE_HELP = "set the system property " + LoaderSettings.LIBRARY_PROPERTY
            + " (java -D" + LoaderSettings.LIBRARY_PROPERTY + "=...) or the environment variable "
            + LoaderSettings.LIBRARY_ENV + " to " + GOOD_OVERRIDE;

    /** A loaded OpenBLAS: the files loaded (dependencies first), and where they came from. */
    record LoadedLibrary(List<Path> files, String origin) {
    }

    private OpenBlasLoader() {
    }

    static LoadedLibrary load(LoaderSettings settings) {
        List<String> attempts = new ArrayList<>();
        if (isSet(settings.propertyOverride())) {
            return loadOverride("system property " + LoaderSettings.LIBRARY_PROPERTY, settings.propertyOverride(),
                    settings.platform(), attempts);
        }
        attempts.add("system property " + LoaderSettings.LIBRARY_PROPERTY + ": not set");
        if (isSet(settings.environmentOverride())) {
            return loadOverride("environment variable " + LoaderSettings.LIBRARY_ENV, settings.environmentOverride(),
                    settings.platform(), attempts);
        }
        attempts.add("environment variable " + LoaderSettings.LIBRARY_ENV + ": not set");
        return loadBundled(settings, attempts);
    }

    private static LoadedLibrary loadOverride(String source, String value, Platform platform, List<String> attempts) {
        List<Path> files = Arrays.stream(value.split(File.pathSeparator))
                .map(String::strip).filter(s -> !s.isEmpty()).map(s -> Path.of(s).toAbsolutePath()).toList();
        String tried = source + "=" + value;
        String fix = "point " + source + " at " + GOOD_OVERRIDE + ", or unset it to use the OpenBLAS bundled with wsvd";
        if (files.isEmpty()) {
            attempts.add(tried + ": names no file");
            throw failure(attempts, fix, null);
        }
        for (Path file : files) {
            Optional<String> problem = fileProblem(file, platform);
            if (problem.isPresent()) {
                attempts.add(tried + ": " + file + " " + problem.get());
                throw failure(attempts, fix, null);
            }
        }
        for (Path file : files) {
            load(file, tried, attempts, fix);
        }
        requireSymbols(files, tried, attempts, fix); // across the list: LAPACKE may be a library of its own
        return new LoadedLibrary(files, tried);
    }

    private static LoadedLibrary loadBundled(LoaderSettings settings, List<String> attempts) {
        Platform platform = settings.platform();
        String bundled = "bundled natives (" + BundledOpenBlas.resourceDirectory(platform) + " on the class path)";
        String jar = "org.bytedeco:openblas:" + TESTED_BUNDLE_VERSION + ":" + platform.classifier();
        if (!platform.isLinux()) {
            attempts.add(bundled + ": wsvd loads bundled natives on Linux only, and this JVM runs on " + platform);
            throw failure(attempts, OVERRIDE_HELP, null);
        }
        Optional<BundledOpenBlas> found;
        try {
            found = BundledOpenBlas.find(settings.classLoader(), platform);
        } catch (IOException e) {
            attempts.add(bundled + ": could not be read: " + e);
            throw failure(attempts, "check that " + jar + " on the class path is intact; or " + OVERRIDE_HELP, e);
        }
        if (found.isEmpty()) {
            attempts.add(bundled + ": not found; the jar " + jar + " is not on the class path");
            throw failure(attempts, "add the dependency " + jar + " to the class path"
                    + (platform.equals(Platform.LINUX_X86_64) ? " (wsvd's build ships it in target/lib)" : "")
                    + "; or " + OVERRIDE_HELP, null);
        }
        BundledOpenBlas bundle = found.get();
        String tried = "bundled " + bundle.coordinates();
        Path directory;
        try {
            directory = NativeCache.materialize(bundle, settings.cacheRoot());
        } catch (IOException | RuntimeException e) {
            attempts.add(tried + ": could not be extracted into " + settings.cacheRoot() + ": " + e);
            throw failure(attempts, "make " + settings.cacheRoot() + " writable, or point the system property "
                    + LoaderSettings.CACHE_PROPERTY + " at a writable directory on a file system that allows"
                    + " executable mappings; or " + OVERRIDE_HELP, e);
        }
        String fix = "if the dynamic linker could not map the file (a file system mounted noexec), point the system"
                + " property " + LoaderSettings.CACHE_PROPERTY + " at a directory elsewhere; or " + OVERRIDE_HELP;
        List<Path> files = bundle.resources().stream().map(resource -> directory.resolve(resource.name())).toList();
        for (Path file : files) {
            // Each library by absolute path, dependencies first: see BundledOpenBlas for why the order matters.
            load(file, tried, attempts, fix);
        }
        requireSymbols(List.of(files.getLast()), tried, attempts, fix); // libopenblas itself exports them all
        return new LoadedLibrary(files, tried + " extracted to " + directory);
    }

    /** Loads {@code file} into this class loader, where the bindings find it; the failure carries dlerror's text. */
    @SuppressWarnings("restricted") // loading native code is this class's job
    private static void load(Path file, String tried, List<String> attempts, String fix) {
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            attempts.add(tried + ": " + file + " could not be loaded by the dynamic linker: " + e.getMessage());
            throw failure(attempts, fix, e);
        }
    }

    /**
     * Checks that {@code files} together export every function the bindings call. Looked up in these files
     * rather than through the class loader, which may also hold libraries loaded earlier that must not vouch
     * for them; the lookups' arena only drops the extra references taken here, the libraries stay loaded.
     */
    @SuppressWarnings("restricted")
    private static void requireSymbols(List<Path> files, String tried, List<String> attempts, String fix) {
        List<String> missing;
        try (Arena lookups = Arena.ofConfined()) {
            SymbolLookup exported = files.stream()
                    .map(file -> SymbolLookup.libraryLookup(file, lookups))
                    .reduce(SymbolLookup::or).orElseThrow();
            missing = BoundFunctions.names().stream().filter(name -> exported.find(name).isEmpty()).toList();
        }
        if (!missing.isEmpty()) {
            attempts.add(tried + ": loaded, but does not export " + String.join(", ", missing)
                    + (missing.stream().anyMatch(s -> s.startsWith("LAPACKE_"))
                    ? " (LAPACKE may be a separate library: list it too, e.g. liblapacke.so.3)" : ""));
            throw failure(attempts, fix, null);
        }
    }

    /** Why {@code file} cannot be a shared library, checked before the dynamic linker gives a vaguer answer. */
    static Optional<String> fileProblem(Path file, Platform platform) {
        if (!Files.exists(file)) {
            return Optional.of("does not exist");
        }
        if (Files.isDirectory(file)) {
            return Optional.of("is a directory, not a library file");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("is not a regular file");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("is not readable");
        }
        return platform.isLinux() ? ElfFile.problem(file, platform) : Optional.empty();
    }

    private static NativeLibraryException failure(List<String> attempts, String fix, Throwable cause) {
        return new NativeLibraryException("wsvd could not load OpenBLAS with LAPACKE, which it needs for SVD and"
                + " matrix products.", attempts, fix, cause);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
