package dev.wsvd.simd;

import java.util.Optional;

/** Run in a child JVM by {@link VectorizationTest}: prints which kernels that JVM chose and why, or why it has none. */
public final class VectorizationProbe {
    private VectorizationProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("kernels=" + Vectorization.kernels().name());
            System.out.println("description=" + Vectorization.kernels().description());
        } catch (IllegalStateException e) {
            System.out.println("error=" + e.getMessage());
            System.out.println("description=");
        }
        System.out.println("forced-panama=" + Vectorization.choose("panama", Optional.empty()).problem());
    }
}
