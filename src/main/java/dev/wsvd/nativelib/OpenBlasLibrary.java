package dev.wsvd.nativelib;

import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.List;

/**
 * The process-wide OpenBLAS library, loaded on first use (see {@link OpenBlas} for the idiomatic view).
 *
 * <p>Where it comes from, in order: the system property {@code wsvd.openblas.library} or the environment
 * variable {@code WSVD_OPENBLAS_LIBRARY}, naming a library file (or several separated by the path separator);
 * otherwise the natives bundled in org.bytedeco:openblas's platform jar on the class path, extracted once into
 * {@code ${wsvd.cache.dir}} (default {@code ${XDG_CACHE_HOME:-~/.cache}/wsvd}). When neither works, every call
 * throws a {@link NativeLibraryException} that lists what was tried and how to fix it.
 */
public final class OpenBlasLibrary {
    private OpenBlasLibrary() {
    }

    private static final class Holder {
        // Loaded at most once: a failure is kept and reported again to every caller rather than retried.
        static final OpenBlasLoader.LoadedLibrary LIBRARY;
        static final NativeLibraryException FAILURE;

        static {
            OpenBlasLoader.LoadedLibrary library = null;
            NativeLibraryException failure = null;
            try {
                library = OpenBlasLoader.load(LoaderSettings.fromEnvironment());
            } catch (NativeLibraryException e) {
                failure = e;
            }
            LIBRARY = library;
            FAILURE = failure;
        }
    }

    /**
     * Symbols of the loaded library, for the raw bindings in {@code dev.wsvd.bindings.openblas}.
     *
     * @throws NativeLibraryException if no usable OpenBLAS was found
     */
    public static SymbolLookup symbols() {
        return library().symbols();
    }

    /** The library files loaded, dependencies first. */
    public static List<Path> files() {
        return library().files();
    }

    /** Where the library came from: the override that named it, or the bundled jar and cache directory. */
    public static String origin() {
        return library().origin();
    }

    static OpenBlasLoader.LoadedLibrary library() {
        if (Holder.FAILURE != null) {
            throw new NativeLibraryException(Holder.FAILURE);
        }
        return Holder.LIBRARY;
    }
}
