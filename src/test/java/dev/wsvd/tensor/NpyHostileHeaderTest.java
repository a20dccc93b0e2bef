package dev.wsvd.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy headers built to break the parser rather than to describe an array (issue 10, item 5). */
class NpyHostileHeaderTest {
    @TempDir
    Path directory;

    private NpyFormatException readFails(String name, String header) throws Exception {
        Path file = Files.write(directory.resolve(name), NpyTest.rawFile(1, header, NpyTest.floats(ByteOrder.LITTLE_ENDIAN, 1, 2)));
        return assertThrows(NpyFormatException.class, () -> Npy.read(file).close(), name);
    }

    @Test
    void deepBracketNestingIsAFormatErrorNotAStackOverflow() throws Exception {
        for (String open : new String[] {"[", "(", "{'a': "}) {
            String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + open.repeat(60_000);
            NpyFormatException error = readFails("deep.npy", header);
            assertTrue(error.getMessage().contains("nesting deeper than " + PythonLiteral.MAX_DEPTH), error.getMessage());
            assertFalse(error.getMessage().contains("\n"), error.getMessage());
        }
    }

    @Test
    void nestingUpToTheBoundStillParses() throws Exception {
        int depth = PythonLiteral.MAX_DEPTH - 1; // the dict itself is one level
        String text = "{'x': " + "[".repeat(depth - 1) + "1" + "]".repeat(depth - 1) + "}";
        assertEquals(1, PythonLiteral.parseDict(text).size());
        assertThrows(PythonLiteral.SyntaxException.class,
                () -> PythonLiteral.parseDict("{'x': " + "[".repeat(depth + 1) + "1" + "]".repeat(depth + 1) + "}"));
    }
}
