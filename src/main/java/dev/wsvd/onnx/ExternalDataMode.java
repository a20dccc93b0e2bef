package dev.wsvd.onnx;

/** Where a written model keeps its tensor data. */
public enum ExternalDataMode {
    /**
     * External when the source model used external data or the model would not fit in one protobuf message
     * (2 GB); inline otherwise.
     */
    AUTO,
    /** Everything inside the .onnx file; fails for models over 2 GB. */
    INLINE,
    /**
     * Tensors of 1 KiB and more in {@code <model file name>.data} next to the model, the format's external data;
     * large ones aligned to 64 KiB so runtimes can map them.
     */
    EXTERNAL
}
