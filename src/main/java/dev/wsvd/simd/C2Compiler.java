package dev.wsvd.simd;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether HotSpot's C2 compiler compiles this JVM's hot code, checked as Lucene's {@code VectorizationProvider}
 * checks it before enabling the Vector API. Only C2 turns Vector API calls into SIMD instructions; under C1
 * alone ({@code -XX:TieredStopAtLevel=1}) or the interpreter every vector is a Java object, and the Panama
 * kernels took 79-85 ms per million floats here against 7.5 ms for the scalar loops.
 *
 * <p>Read from {@code java.vm.info} (which says {@code interpreted mode} under {@code -Xint} and
 * {@code emulated-client} when only C1 runs) and from the VM flags, through the HotSpot diagnostic MXBean:
 * {@code UseCompiler}, {@code CompilationMode}, and {@code TieredStopAtLevel} below 4 with tiered compilation
 * on (the level in force is reported by neither property alone: {@code TieredStopAtLevel=2} or {@code 3} leave
 * {@code java.vm.info} unchanged).
 */
final class C2Compiler {
    /** The flags {@link #problem(String, Map)} consults. */
    static final List<String> FLAGS = List.of("UseCompiler", "CompilationMode", "TieredCompilation", "TieredStopAtLevel");
    /** C2's tier: tiered compilation stops below it when asked to, and C2 then never runs. */
    private static final int C2_LEVEL = 4;

    private C2Compiler() {
    }

    /** Why C2 does not compile in this JVM, or empty when it does. Computed once. */
    static Optional<String> problem() {
        return ThisJvm.PROBLEM;
    }

    /**
     * Why C2 does not compile in a JVM with these properties, or empty when it does.
     *
     * @param vmInfo the JVM's {@code java.vm.info}
     * @param flags  the values of {@link #FLAGS} as HotSpot prints them ({@code "true"}, {@code "4"}, ...);
     *               a missing flag counts as its default
     */
    static Optional<String> problem(String vmInfo, Map<String, String> flags) {
        if (vmInfo.contains("interpreted mode")) {
            return Optional.of("the JVM only interprets (-Xint)");
        }
        if ("false".equals(flags.get("UseCompiler"))) {
            return Optional.of("the JVM's compilers are off (-XX:-UseCompiler)");
        }
        if ("quick-only".equals(flags.get("CompilationMode"))) {
            return Optional.of("only C1 compiles (-XX:CompilationMode=quick-only)");
        }
        boolean tiered = !"false".equals(flags.get("TieredCompilation")); // without tiers, C2 compiles alone
        String stopLevel = flags.getOrDefault("TieredStopAtLevel", String.valueOf(C2_LEVEL));
        if (tiered && parseLevel(stopLevel) < C2_LEVEL) {
            return Optional.of("C2 is disabled (-XX:TieredStopAtLevel=" + stopLevel + ")");
        }
        if (vmInfo.contains("emulated-client")) {
            return Optional.of("only C1 compiles (the JVM reports emulated-client mode)");
        }
        return Optional.empty();
    }

    private static int parseLevel(String level) {
        try {
            return Integer.parseInt(level.strip());
        } catch (NumberFormatException e) {
            return C2_LEVEL; // not a level HotSpot would print: do not guess that C2 is off
        }
    }

    private static final class ThisJvm {
        static final Optional<String> PROBLEM = check();

        private static Optional<String> check() {
            Optional<Map<String, String>> flags;
            try {
                flags = HotSpotFlags.read();
            } catch (LinkageError | RuntimeException e) {
                // java.management or jdk.management left out of the runtime image: the flags cannot be read
                return Optional.of("C2 cannot be confirmed: the HotSpot diagnostic MXBean is unavailable (" + e + ")");
            }
            if (flags.isEmpty()) {
                return Optional.of("C2 cannot be confirmed: this is not a HotSpot JVM");
            }
            return problem(System.getProperty("java.vm.info", ""), flags.get());
        }
    }

    /**
     * The only code that touches the management modules, in a class of its own: when they are missing, loading
     * it fails with a {@link LinkageError} that {@link ThisJvm} catches, instead of failing this class.
     */
    private static final class HotSpotFlags {
        /** The values of {@link #FLAGS} this HotSpot knows, or empty when this JVM has no HotSpot diagnostic bean. */
        static Optional<Map<String, String>> read() {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (bean == null) {
                return Optional.empty();
            }
            Map<String, String> flags = new HashMap<>();
            for (String flag : FLAGS) {
                try {
                    flags.put(flag, bean.getVMOption(flag).getValue());
                } catch (IllegalArgumentException unknown) {
                    // a flag this HotSpot version does not have keeps its default
                }
            }
            return Optional.of(flags);
        }
    }
}
