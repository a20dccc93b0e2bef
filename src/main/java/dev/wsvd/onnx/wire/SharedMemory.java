package dev.wsvd.onnx.wire;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An arena shared by a model and the models derived from it (a rewrite keeps the untouched payloads of its
 * source in place). Each holder acquires it once and releases it once; the last release closes the arena,
 * after which every segment it backs fails on access with {@link IllegalStateException}.
 */
final class SharedMemory {
    private final Arena arena = Arena.ofShared();
    private final AtomicInteger holders = new AtomicInteger(1);

    Arena arena() {
        return arena;
    }

    SharedMemory acquire() {
        holders.getAndUpdate(count -> {
            if (count <= 0) {
                throw new IllegalStateException("the memory of this model was already released");
            }
            return count + 1;
        });
        return this;
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            arena.close();
        }
    }
}
