package dev.wsvd.nativelib;

import dev.wsvd.bindings.openblas.cblas_h;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OpenBLAS for this process: loading, build information and the size of its thread pool.
 *
 * <p><b>Loading.</b> The library is loaded on first use. It comes from the system property
 * {@code wsvd.openblas.library} or the environment variable {@code WSVD_OPENBLAS_LIBRARY} when one names a
 * library file (or several, separated by the path separator); otherwise from the natives bundled in
 * org.bytedeco:openblas's platform jar on the class path, extracted once into {@code ${wsvd.cache.dir}} (default
 * {@code ${XDG_CACHE_HOME:-~/.cache}/wsvd}). When neither works, every method throws a
 * {@link NativeLibraryException} that lists what was tried and how to fix it.
 *
 * <p><b>Threads.</b> OpenBLAS keeps one pool per process and its idle threads spin before they sleep, so two
 * busy pools on the same cores slow each other down badly (30x for an SVD measured on two cores). The pool
 * defaults to {@link Runtime#availableProcessors()} threads, unless one of OpenBLAS's own variables
 * ({@code OPENBLAS_NUM_THREADS}, {@code GOTO_NUM_THREADS}, {@code OMP_NUM_THREADS}) says otherwise. Code that
 * runs its own Java-level parallelism (several layers at once) wraps that section in {@link #singleThreaded()},
 * so that each BLAS call then runs on its calling thread only:
 * <pre>{@code
 * try (var oneBlasThread = OpenBlas.singleThreaded()) {
 *     layers.parallelStream().forEach(layer -> Svd.thin(layer.weight()));
 * }
 * }</pre>
 * The thread count is a process-wide setting: it affects every BLAS call made while it is in force.
 */
public final class OpenBlas {
    private static final List<String> THREAD_VARIABLES = List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS");

    private static final Object THREAD_LOCK = new Object();
    private static int configuredThreads; // guarded by THREAD_LOCK; what setThreads (or the default) asked for
    private static int singleThreadedSections; // guarded by THREAD_LOCK

    private OpenBlas() {
    }

    /**
     * The process-wide library, loaded on first use and at most once: a failure is kept and reported again to
     * every caller rather than retried. Nothing touches a binding class before this succeeds, since the
     * bindings find their symbols among the libraries the loader has loaded.
     */
    private static final class Loaded {
        static final OpenBlasLoader.LoadedLibrary LIBRARY;
        static final NativeLibraryException FAILURE;

        static {
            OpenBlasLoader.LoadedLibrary library = null;
            NativeLibraryException failure;
            try {
                library = OpenBlasLoader.load(LoaderSettings.fromEnvironment());
                failure = initialize(library);
            } catch (NativeLibraryException e) {
                failure = e;
            }
            LIBRARY = library;
            FAILURE = failure;
        }

        private static NativeLibraryException initialize(OpenBlasLoader.LoadedLibrary library) {
            String config = cblas_h.openblas_get_config().getString(0);
            // The bindings pass 32-bit ints; an ILP64 build would read garbage for every dimension.
            if (config.contains("USE64BITINT")) {
                return new NativeLibraryException("wsvd needs an OpenBLAS with 32-bit integers (LP64), but "
                        + library.origin() + " reports \"" + config.strip() + "\".", List.of(),
                        "use a libopenblas built without INTERFACE64 (Debian: libopenblas0, not libopenblas64-0)", null);
            }
            synchronized (THREAD_LOCK) {
                boolean userChose = THREAD_VARIABLES.stream().map(System::getenv).anyMatch(v -> v != null && !v.isBlank());
                if (!userChose) {
                    cblas_h.openblas_set_num_threads(Runtime.getRuntime().availableProcessors());
                }
                configuredThreads = cblas_h.openblas_get_num_threads();
            }
            return null;
        }
    }

    /**
     * Loads OpenBLAS if it is not loaded yet. Every other method here, and every entry point of
     * {@code dev.wsvd.linalg}, calls this before it touches a binding; calling it first only moves a failure to
     * a place of the caller's choosing. Code that calls the raw bindings in {@code dev.wsvd.bindings.openblas}
     * directly must call it first too: a binding used before the library is loaded fails with
     * {@code UnsatisfiedLinkError: unresolved symbol}, and keeps failing for the rest of the process.
     *
     * @throws NativeLibraryException if no usable OpenBLAS was found; the message says what was tried and how to fix it
     */
    public static void load() {
        if (Loaded.FAILURE != null) {
            throw new NativeLibraryException(Loaded.FAILURE);
        }
    }

    /** OpenBLAS's build description, for example {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64}. */
    public static String config() {
        load();
        return cblas_h.openblas_get_config().getString(0).strip();
    }

    /** The CPU kernel set OpenBLAS chose at start-up, for example {@code Haswell} or {@code Zen}. */
    public static String coreName() {
        load();
        return cblas_h.openblas_get_corename().getString(0);
    }

    /** The library files loaded, dependencies first. */
    public static List<Path> libraryFiles() {
        load();
        return Loaded.LIBRARY.files();
    }

    /** Where the library came from (an override, or the bundled jar and the cache directory it was extracted to). */
    public static String origin() {
        load();
        return Loaded.LIBRARY.origin();
    }

    /** The number of threads BLAS and LAPACK calls use now (1 inside {@link #singleThreaded()}). */
    public static int threads() {
        load();
        return cblas_h.openblas_get_num_threads();
    }

    /**
     * Sets the number of threads for the rest of the process (OpenBLAS caps it at the maximum it was built for).
     * Inside a {@link #singleThreaded()} section the new count takes effect when the last section ends.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenBLAS needs at least 1 thread, got " + threads);
        }
        load();
        synchronized (THREAD_LOCK) {
            configuredThreads = threads;
            if (singleThreadedSections == 0) {
                cblas_h.openblas_set_num_threads(threads);
            }
        }
    }

    /**
     * Runs BLAS and LAPACK on the calling thread only until the returned section is closed: for Java-level
     * parallelism, so that OpenBLAS's pool never competes with it. Sections may overlap (one per worker, or
     * nested); the configured thread count returns when the last one closes.
     */
    public static SingleThreaded singleThreaded() {
        load();
        synchronized (THREAD_LOCK) {
            if (singleThreadedSections++ == 0) {
                cblas_h.openblas_set_num_threads(1);
            }
        }
        return new SingleThreaded();
    }

    /** A section during which OpenBLAS runs single-threaded; see {@link OpenBlas#singleThreaded()}. */
    public static final class SingleThreaded implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        private SingleThreaded() {
        }

        /** Ends this section (idempotent); the configured thread count returns when no section is open. */
        @Override
        public void close() {
            if (!open.compareAndSet(true, false)) {
                return;
            }
            synchronized (THREAD_LOCK) {
                if (--singleThreadedSections == 0) {
                    cblas_h.openblas_set_num_threads(configuredThreads);
                }
            }
        }
    }
}
