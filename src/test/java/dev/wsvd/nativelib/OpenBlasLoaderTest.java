package dev.wsvd.nativelib;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Overrides and failures of the loader, each through a fresh {@link LoaderSettings} so that the process-wide
 * library is untouched. Successful overrides name files this JVM already loaded (the dynamic linker hands back
 * the same library), so no second OpenBLAS and thread pool is started here.
 */
class OpenBlasLoaderTest {
    private static Path openblas;
    private static Path quadmath;

    @BeforeAll
    static void findTheLoadedLibrary() {
        OpenBlas.load();
        assumeTrue(OpenBlas.origin().startsWith("bundled"), "the override tests reuse the bundled files");
        openblas = OpenBlas.libraryFiles().getLast();
        quadmath = OpenBlas.libraryFiles().getFirst();
    }

    private static LoaderSettings settings(String property, String environment, Path cache) {
        return new LoaderSettings(property, environment, cache, Platform.LINUX_X86_64, OpenBlasLoaderTest.class.getClassLoader());
    }

    @Test
    void propertyOverrideIsLoadedInsteadOfTheBundle(@TempDir Path emptyCache) throws Exception {
        OpenBlasLoader.LoadedLibrary library = OpenBlasLoader.load(settings(openblas.toString(), null, emptyCache));
        assertEquals(java.util.List.of(openblas), library.files());
        assertTrue(library.origin().contains("system property wsvd.openblas.library"), library.origin());
        try (var entries = Files.list(emptyCache)) {
            assertEquals(0, entries.count(), "an override must not extract the bundle");
        }
    }

    @Test
    void environmentOverrideIsUsedWhenThePropertyIsUnset(@TempDir Path cache) {
        OpenBlasLoader.LoadedLibrary library = OpenBlasLoader.load(settings(null, openblas.toString(), cache));
        assertTrue(library.origin().contains("environment variable WSVD_OPENBLAS_LIBRARY"), library.origin());
    }

    @Test
    void propertyWinsOverTheEnvironment(@TempDir Path cache) {
        OpenBlasLoader.LoadedLibrary library = OpenBlasLoader.load(settings(openblas.toString(), "/nonexistent/lib.so", cache));
        assertTrue(library.origin().contains("system property"), library.origin());
    }

    @Test
    void severalFilesCanTogetherProvideTheSymbols(@TempDir Path cache) {
        // As with Debian's libopenblas.so.0 plus liblapacke.so.3: symbols are searched across the list, so a
        // list whose first file exports none of them (libquadmath alone is refused, see below) is accepted.
        String list = quadmath + File.pathSeparator + openblas;
        OpenBlasLoader.LoadedLibrary library = OpenBlasLoader.load(settings(list, null, cache));
        assertEquals(java.util.List.of(quadmath, openblas), library.files());
    }

    @Test
    void missingOverrideFileListsWhatWasTriedAndHowToFixIt(@TempDir Path cache) {
        Path missing = cache.resolve("no-such-libopenblas.so.0");
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(missing.toString(), null, cache)));
        String message = e.getMessage();
        assertTrue(message.contains(missing + " does not exist"), message);
        assertTrue(message.contains("Tried:") && message.contains("Fix:"), message);
        assertTrue(message.contains("point system property wsvd.openblas.library at") && message.contains("unset it"), message);
        assertEquals(1, e.attempts().size(), e.attempts().toString());
    }

    @Test
    void overrideNamingNoFileIsRejected(@TempDir Path cache) {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(" " + File.pathSeparator + " ", null, cache)));
        assertTrue(e.getMessage().contains("names no file"), e.getMessage());
    }

    @Test
    void directoryIsNotALibrary(@TempDir Path directory) {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(null, directory.toString(), directory)));
        assertTrue(e.getMessage().contains(directory + " is a directory"), e.getMessage());
        assertTrue(e.attempts().getFirst().contains("wsvd.openblas.library: not set"), e.attempts().toString());
    }

    @Test
    void nonLibraryFileIsRejectedBeforeTheDynamicLinker(@TempDir Path directory) throws Exception {
        Path text = Files.writeString(directory.resolve("libopenblas.so.0"), "not a shared library");
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(text.toString(), null, directory)));
        assertTrue(e.getMessage().contains("is not a shared library (no ELF header)"), e.getMessage());
    }

    /** A truncated library would crash the process inside the dynamic linker (SIGBUS): it is caught first. */
    @Test
    void truncatedLibraryIsRejectedBeforeTheDynamicLinker(@TempDir Path directory) throws Exception {
        Path truncated = directory.resolve("libtruncated.so");
        try (var in = Files.newInputStream(openblas)) {
            Files.write(truncated, in.readNBytes(1 << 20));
        }
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(truncated.toString(), null, directory)));
        assertTrue(e.getMessage().contains(truncated + " is truncated"), e.getMessage());
    }

    @Test
    void libraryForAnotherMachineIsRejected(@TempDir Path directory) throws Exception {
        byte[] bytes = Files.readAllBytes(quadmath);
        bytes[18] = (byte) 183; // e_machine: AArch64
        bytes[19] = 0;
        Path foreign = Files.write(directory.resolve("libquadmath-arm64.so.0"), bytes);
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(foreign.toString(), null, directory)));
        assertTrue(e.getMessage().contains("built for ELF machine 183"), e.getMessage());
    }

    /** A library whose dependency is missing: the message carries the dynamic linker's own reason. */
    @Test
    void linkerFailureCarriesItsReason(@TempDir Path directory) throws Exception {
        Path gfortran = openblas.resolveSibling("libgfortran.so.5");
        byte[] bytes = Files.readAllBytes(gfortran);
        // Rename its DT_NEEDED libquadmath.so.0 (in the dynamic string table) to a library that exists nowhere.
        byte[] needed = "libquadmath.so.0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(bytes, needed);
        assertTrue(at > 0, "libgfortran names libquadmath.so.0");
        bytes[at + 10] = 'X';
        Path broken = Files.write(directory.resolve("libgfortran-broken.so.5"), bytes);
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(broken.toString(), null, directory)));
        assertTrue(e.getMessage().contains(broken + " could not be loaded by the dynamic linker: "), e.getMessage());
        assertTrue(e.getMessage().contains("libquadmatX.so.0"), "the reason names the missing dependency: " + e.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void libraryWithoutLapackeIsNamedAsSuch(@TempDir Path cache) {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(quadmath.toString(), null, cache)));
        // Every bound function is named, in order: the list comes from the bindings, not from a second list.
        assertTrue(e.getMessage().contains("does not export " + String.join(", ", BoundFunctions.names())), e.getMessage());
        assertTrue(e.getMessage().contains("liblapacke"), e.getMessage());
    }

    @Test
    void missingBundleNamesTheJarToAdd(@TempDir Path cache) {
        LoaderSettings arm = new LoaderSettings(null, null, cache, new Platform("linux", "arm64"),
                OpenBlasLoaderTest.class.getClassLoader());
        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> OpenBlasLoader.load(arm));
        assertTrue(e.getMessage().contains("org.bytedeco:openblas:" + OpenBlasLoader.TESTED_BUNDLE_VERSION + ":linux-arm64"),
                e.getMessage());
        assertEquals(3, e.attempts().size(), "property, environment, bundle: " + e.attempts());
    }

    @Test
    void otherOperatingSystemsAreToldToUseAnOverride(@TempDir Path cache) {
        LoaderSettings mac = new LoaderSettings(null, null, cache, Platform.of("Mac OS X", "aarch64"),
                OpenBlasLoaderTest.class.getClassLoader());
        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> OpenBlasLoader.load(mac));
        assertTrue(e.getMessage().contains("macosx-arm64"), e.getMessage());
        assertTrue(e.getMessage().contains("wsvd.openblas.library"), e.getMessage());
    }

    @Test
    void unwritableCacheIsReportedWithTheDirectoryToChange(@TempDir Path directory) throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("cache"), "a file where the cache should be");
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> OpenBlasLoader.load(settings(null, null, notADirectory)));
        assertTrue(e.getMessage().contains("could not be extracted into " + notADirectory), e.getMessage());
        assertTrue(e.getMessage().contains("wsvd.cache.dir"), e.getMessage());
    }

    @Test
    void platformNamesFollowTheClassifiers() {
        assertEquals("linux-x86_64", Platform.of("Linux", "amd64").classifier());
        assertEquals("linux-arm64", Platform.of("Linux", "aarch64").classifier());
        assertEquals("macosx-x86_64", Platform.of("Mac OS X", "x86_64").classifier());
        assertEquals("windows-x86_64", Platform.of("Windows 11", "amd64").classifier());
    }
}
