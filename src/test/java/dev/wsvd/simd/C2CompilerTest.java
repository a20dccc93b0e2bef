package dev.wsvd.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The C2 decision on the flag values and {@code java.vm.info} that HotSpot 25 reports for each way of switching
 * C2 off (recorded with {@code java -XX:... -XshowSettings:properties} and the diagnostic MXBean).
 */
class C2CompilerTest {
    private static final String MIXED = "mixed mode, sharing";
    private static final Map<String, String> SERVER_DEFAULTS = Map.of(
            "UseCompiler", "true", "CompilationMode", "default", "TieredCompilation", "true", "TieredStopAtLevel", "4");

    private static Map<String, String> defaultsWith(String flag, String value) {
        Map<String, String> flags = new HashMap<>(SERVER_DEFAULTS);
        flags.put(flag, value);
        return flags;
    }

    @Test
    void aDefaultServerJvmHasC2() {
        assertEquals(Optional.empty(), C2Compiler.problem(MIXED, SERVER_DEFAULTS));
        assertEquals(Optional.empty(), C2Compiler.problem(MIXED, Map.of()), "flags HotSpot does not know keep their defaults");
    }

    @Test
    void tieredStopAtLevelBelowFourHasNoC2() {
        // Level 1 also makes java.vm.info say emulated-client; levels 0, 2 and 3 leave it unchanged.
        assertEquals(Optional.of("C2 is disabled (-XX:TieredStopAtLevel=1)"),
                C2Compiler.problem("mixed mode, emulated-client, sharing", defaultsWith("TieredStopAtLevel", "1")));
        for (String level : new String[]{"0", "2", "3"}) {
            assertEquals(Optional.of("C2 is disabled (-XX:TieredStopAtLevel=" + level + ")"),
                    C2Compiler.problem(MIXED, defaultsWith("TieredStopAtLevel", level)), "level " + level);
        }
    }

    @Test
    void withoutTieredCompilationTheStopLevelIsIgnoredAndC2CompilesAlone() {
        Map<String, String> flags = defaultsWith("TieredCompilation", "false");
        flags.put("TieredStopAtLevel", "1");
        assertEquals(Optional.empty(), C2Compiler.problem(MIXED, flags));
    }

    @Test
    void interpreterOnlyAndCompilersOffHaveNoC2() {
        assertEquals(Optional.of("the JVM only interprets (-Xint)"), C2Compiler.problem("interpreted mode, sharing", SERVER_DEFAULTS));
        assertEquals(Optional.of("the JVM's compilers are off (-XX:-UseCompiler)"),
                C2Compiler.problem(MIXED, defaultsWith("UseCompiler", "false")));
    }

    @Test
    void compilationModeDecidesToo() {
        assertEquals(Optional.of("only C1 compiles (-XX:CompilationMode=quick-only)"),
                C2Compiler.problem("mixed mode, emulated-client, sharing", defaultsWith("CompilationMode", "quick-only")));
        assertEquals(Optional.empty(), C2Compiler.problem(MIXED, defaultsWith("CompilationMode", "high-only")));
    }

    @Test
    void emulatedClientWithoutAFlagToBlameIsStillNoC2() {
        assertEquals(Optional.of("only C1 compiles (the JVM reports emulated-client mode)"),
                C2Compiler.problem("mixed mode, emulated-client, sharing", SERVER_DEFAULTS));
    }

    /** This test JVM runs with the build's flags only, so C2 is on: the live check must agree. */
    @Test
    void thisJvmHasC2() {
        assertEquals(Optional.empty(), C2Compiler.problem());
    }
}
