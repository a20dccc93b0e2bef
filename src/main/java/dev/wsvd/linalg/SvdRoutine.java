package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;

import java.lang.foreign.Arena;

/** A LAPACK routine that computes a thin SVD; {@link Svd} tries them in order until one converges. */
interface SvdRoutine {
    /** The LAPACKE function called for {@code dtype}, for messages. */
    String function(DType dtype);

    /** The names of that function's arguments, 1-based as LAPACKE numbers them in {@code info}. */
    java.util.List<String> argumentNames();

    /**
     * Runs the routine, taking its workspace from {@code workspace}.
     *
     * @return LAPACK's {@code info}: 0 on success, {@code -i} if argument {@code i} was illegal, positive if it
     * did not converge
     */
    int run(LapackSvdCall call, Arena workspace);
}
