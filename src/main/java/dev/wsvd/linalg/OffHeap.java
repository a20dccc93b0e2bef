package dev.wsvd.linalg;

import dev.wsvd.tensor.Tensor;

/**
 * A tensor native code can be handed: the tensor itself when its memory is native (mapped or allocated), else an
 * owned native copy, closed with this holder. The FFM linker cannot pass heap memory (a model read from a byte
 * array, a tensor wrapping an array segment) to a downcall; without the copy it fails with an AssertionError.
 */
record OffHeap(Tensor tensor, boolean copied) implements AutoCloseable {

    static OffHeap of(Tensor tensor) {
        return tensor.segment().isNative() ? new OffHeap(tensor, false) : new OffHeap(tensor.copy(), true);
    }

    @Override
    public void close() {
        if (copied) {
            tensor.close();
        }
    }
}
