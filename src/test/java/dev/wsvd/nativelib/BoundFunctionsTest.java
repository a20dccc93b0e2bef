package dev.wsvd.nativelib;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The three places that name the bound functions agree: the header jextract reads, the jextract commands that
 * regenerate the bindings, and the bindings themselves (from which the loader derives its up-front check).
 */
class BoundFunctionsTest {
    private static final Path HEADER = Path.of("native", "wsvd_openblas.h");
    private static final Path NATIVE_README = Path.of("native", "README.md");

    @Test
    void everyFunctionDeclaredInTheHeaderIsBoundAndNothingElse() throws IOException {
        // A declaration is a prefixed name followed by its parameter list; comments never put one before "(".
        assertEquals(matches(HEADER, "\\b((?:LAPACKE|cblas|openblas)_\\w+)\\s*\\("), new TreeSet<>(BoundFunctions.names()));
    }

    @Test
    void theJextractCommandsIncludeExactlyTheBoundFunctions() throws IOException {
        assertEquals(new TreeSet<>(BoundFunctions.names()), matches(NATIVE_README, "--include-function (\\w+)"));
    }

    @Test
    void listsTheFunctionsOfBothHeaderClassesOnly() {
        // From both header classes; jextract's helpers (findOrThrow, align, ...) are not mistaken for functions.
        List<String> names = BoundFunctions.names();
        assertTrue(names.contains("LAPACKE_dgesdd_work") && names.contains("cblas_dgemm"), names.toString());
        assertTrue(names.stream().noneMatch(name -> name.contains("$") || name.equals("findOrThrow")), names.toString());
    }

    private static TreeSet<String> matches(Path file, String regex) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(Files.readString(file));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        assertFalse(names.isEmpty(), "nothing matched " + regex + " in " + file);
        return names;
    }
}
