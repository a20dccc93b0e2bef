package dev.wsvd.simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the {@link VectorKernels} implementation once per JVM, in the pattern of Lucene's
 * {@code VectorizationProvider}.
 *
 * <p>The Vector API kernels are used when the {@code jdk.incubator.vector} module is in the boot layer
 * (the launcher and the build add it with {@code --add-modules jdk.incubator.vector}), the CPU's preferred
 * vectors are at least 128 bits wide, and HotSpot's C2 compiler runs (see {@link C2Compiler}: without it the
 * Vector API is about ten times slower than the scalar loops); otherwise the scalar kernels. The system
 * property {@value #PROPERTY}{@code =scalar|panama} forces one, for tests and debugging. Forcing {@code panama}
 * skips the C2 check, as Lucene's test mode does, since whoever asks for it wants it; where the Vector API
 * cannot run at all it makes {@link #kernels()} fail with the reason instead of quietly running scalar code.
 *
 * <p>Nothing is printed; {@link #kernels()}{@code .description()} says what runs and, for the scalar kernels,
 * why, for the CLI and reports.
 */
public final class Vectorization {
    /** System property forcing an implementation: {@code scalar} or {@code panama}. */
    public static final String PROPERTY = "wsvd.simd";
    /**
     * System property choosing the Vector API kernels' vector size: {@code 128}, {@code 256} or {@code 512} bits
     * (default: the CPU's preferred size; a wider one runs emulated, without SIMD instructions). For tests, which
     * run the kernels at every size, and for diagnosis; any other value makes {@link #kernels()} fail with the
     * reason.
     */
    public static final String BITS_PROPERTY = "wsvd.simd.bits";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private Vectorization() {
    }

    /**
     * The kernels this JVM uses, chosen on first call.
     *
     * @throws IllegalStateException if {@value #PROPERTY} names an unknown implementation, or forces
     *                               {@code panama} where the Vector API cannot run, or {@value #BITS_PROPERTY}
     *                               is not a vector size
     */
    public static VectorKernels kernels() {
        Choice choice = Chosen.CHOICE;
        if (choice.kernels() == null) {
            throw new IllegalStateException(choice.problem());
        }
        return choice.kernels();
    }

    /** The scalar kernels, always available. */
    public static VectorKernels scalar() {
        return ScalarVectorKernels.INSTANCE;
    }

    /** The Vector API kernels, or empty when this JVM cannot run them ({@link #panamaUnavailableReason()} says why). */
    public static Optional<VectorKernels> panama() {
        return Optional.ofNullable(PanamaAvailability.KERNELS);
    }

    /** Why the Vector API kernels cannot run here, or empty when they can. */
    public static Optional<String> panamaUnavailableReason() {
        return Optional.ofNullable(PanamaAvailability.PROBLEM);
    }

    /** The outcome of the choice: kernels, or the reason there are none. */
    record Choice(VectorKernels kernels, String problem) {
    }

    /** Holder so the choice runs once, on first use, and never at class-load time of callers. */
    private static final class Chosen {
        static final Choice CHOICE = choose(System.getProperty(PROPERTY), C2Compiler.problem());
    }

    /**
     * The choice for a value of {@value #PROPERTY} ({@code null} when unset) in a JVM where C2 does not
     * compile for the given reason (empty when it does).
     */
    static Choice choose(String forced, Optional<String> withoutC2) {
        if (forced == null || forced.isBlank()) {
            if (PanamaAvailability.MISCONFIGURED) {
                return new Choice(null, PanamaAvailability.PROBLEM); // asked for a size explicitly: say so, loudly
            }
            if (panama().isEmpty()) {
                return new Choice(ScalarVectorKernels.because("Vector API unavailable: " + PanamaAvailability.PROBLEM), null);
            }
            if (withoutC2.isPresent()) {
                return new Choice(ScalarVectorKernels.because("Vector API not used: " + withoutC2.get()
                        + ", and without C2 it runs about 10x slower than these loops"), null);
            }
            return new Choice(panama().get(), null);
        }
        return switch (forced.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> new Choice(ScalarVectorKernels.because("forced by -D" + PROPERTY + "=scalar"), null);
            case "panama" -> panama().map(kernels -> new Choice(kernels, null))
                    .orElseGet(() -> new Choice(null, "-D" + PROPERTY + "=panama was requested, but " + PanamaAvailability.PROBLEM));
            default -> new Choice(null, "-D" + PROPERTY + "=" + forced + " is not an implementation; use scalar or panama");
        };
    }

    /** Probes the Vector API once. */
    private static final class PanamaAvailability {
        static final VectorKernels KERNELS;
        static final String PROBLEM;
        /** Whether {@link #PROBLEM} is a bad {@value #BITS_PROPERTY} rather than something missing from the JVM. */
        static final boolean MISCONFIGURED;

        static {
            VectorKernels kernels = null;
            String problem = null;
            boolean misconfigured = false;
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                problem = "the " + VECTOR_MODULE + " module is not loaded; start the JVM with --add-modules " + VECTOR_MODULE;
            } else {
                try {
                    kernels = loadPanamaKernels();
                } catch (UnsupportedOperationException e) {
                    problem = e.getMessage();
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                    misconfigured = true;
                }
            }
            KERNELS = kernels;
            PROBLEM = problem;
            MISCONFIGURED = misconfigured;
        }

        /**
         * Loads the Vector API class reflectively: a direct reference would make every caller of this class
         * link against {@code jdk.incubator.vector}, which fails when the module is absent.
         */
        private static VectorKernels loadPanamaKernels() {
            try {
                Class<?> type = Class.forName("dev.wsvd.simd.PanamaVectorKernels");
                return (VectorKernels) MethodHandles.lookup()
                        .findStatic(type, "create", MethodType.methodType(VectorKernels.class))
                        .invokeExact();
            } catch (UnsupportedOperationException | IllegalArgumentException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new UnsupportedOperationException("the Vector API kernels could not be loaded: " + e, e);
            }
        }
    }
}
