package dev.wsvd.simd;

/** Run in a child JVM by {@link VectorizationTest}: prints which kernels that JVM chose, or why it has none. */
public final class VectorizationProbe {
    private VectorizationProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("kernels=" + Vectorization.kernels().name());
        } catch (IllegalStateException e) {
            System.out.println("error=" + e.getMessage());
        }
        System.out.println("forced-panama=" + Vectorization.choose("panama").problem());
    }
}
