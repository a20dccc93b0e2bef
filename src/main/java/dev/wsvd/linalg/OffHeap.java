package dev.wsvd.linalg;

import dev.wsvd.tensor.Tensor;

/**
 * A tensor native code can be handed: the tensor itself when its memory is owned native memory, else an owned
 * native copy, closed with this holder. The FFM linker cannot pass heap memory (a model read from a byte array, a
 * tensor wrapping an array segment) to a downcall; without the copy it fails with an AssertionError. A mapped
 * file is copied too: if another process truncates the file, a read of the lost pages inside native code kills
 * the JVM with SIGBUS, while the same fault in the Java copy is an InternalError the caller can report.
 */
record OffHeap(Tensor tensor, boolean copied) implements AutoCloseable {

    static OffHeap of(Tensor tensor) {
        return needsCopy(tensor) ? new OffHeap(tensor.copy(), true) : new OffHeap(tensor, false);
    }

    /** Whether native code must not read {@code tensor}'s memory directly: heap or a mapped file. */
    static boolean needsCopy(Tensor tensor) {
        return !tensor.segment().isNative() || tensor.segment().isMapped();
    }

    @Override
    public void close() {
        if (copied) {
            tensor.close();
        }
    }
}
