package dev.wsvd;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lets any number of evaluations use an evaluator's native resources at once and lets {@code close()} free
 * them only when none is running, so a close during an evaluation waits instead of pulling memory from
 * under ONNX Runtime, and any use after close fails with {@link IllegalStateException}.
 */
final class UseGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String owner;
    private boolean closed;

    UseGuard(String owner) {
        this.owner = owner;
    }

    /** One use of the guarded resources; closing it ends the use. */
    interface Use extends AutoCloseable {
        @Override
        void close();
    }

    /** Begins a use. @throws IllegalStateException if the owner was closed */
    Use enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException(owner + " was closed and can no longer evaluate");
        }
        return lock.readLock()::unlock;
    }

    /** Runs {@code release} once, after every running use has ended; later calls do nothing. */
    void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                release.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
