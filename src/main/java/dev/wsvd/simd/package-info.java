/**
 * Vector API kernels for weight SVD, with a scalar fallback.
 *
 * <ul>
 *   <li>{@link dev.wsvd.simd.VectorKernels}: the segment-level kernels (f32 and f64), implemented by a scalar
 *       class and a Panama ({@code jdk.incubator.vector}) class;</li>
 *   <li>{@link dev.wsvd.simd.Vectorization}: picks one implementation per JVM, scalar where the Vector API is
 *       missing or C2 does not compile ({@code -Dwsvd.simd=scalar|panama} forces one), and says which and why;</li>
 *   <li>{@link dev.wsvd.simd.Kernels}: the same kernels on {@link dev.wsvd.tensor.Tensor}s, for callers;</li>
 *   <li>{@link dev.wsvd.simd.Kernels#scaledSquaredTails}: the truncation error of every rank from the singular values.</li>
 * </ul>
 *
 * <p>The Vector API runs interpreted until the JIT compiles it, which is far slower than a scalar loop: the
 * first call of each kernel on a large input can take a few hundred milliseconds before compiled code takes over;
 * long runs (many layers, many ranks) amortize it.
 */
package dev.wsvd.simd;
