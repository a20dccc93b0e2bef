package dev.wsvd.linalg;

/**
 * A LAPACK routine failed: it rejected an argument ({@code info < 0}, a bug in the caller that names the
 * argument) or did not converge ({@code info > 0}).
 */
public final class LapackException extends RuntimeException {
    private final String routine;
    private final int info;

    LapackException(String routine, int info, String message) {
        super(message);
        this.routine = routine;
        this.info = info;
    }

    /** The LAPACKE function that failed, for example {@code LAPACKE_sgesdd_work}. */
    public String routine() {
        return routine;
    }

    /** LAPACK's {@code info} code: {@code -i} rejects argument {@code i}, positive values mean no convergence. */
    public int info() {
        return info;
    }
}
