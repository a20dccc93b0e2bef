package dev.wsvd.linalg;

/**
 * A thin SVD that would need more memory than the machine has available, refused before anything is
 * allocated. The message gives both figures; {@link #neededBytes()} and {@link #availableBytes()} give them to
 * callers that add advice (a command asking for few ranks says the thin SVD computes them all).
 */
public final class SvdMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final double neededBytes;
    private final long availableBytes;

    SvdMemoryException(String message, double neededBytes, long availableBytes) {
        super(message);
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    public double neededBytes() {
        return neededBytes;
    }

    public long availableBytes() {
        return availableBytes;
    }
}
