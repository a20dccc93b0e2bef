package dev.wsvd.onnx.wire;

import java.lang.foreign.MemorySegment;

/**
 * The layout of an external data file being written: tensors of at least {@link #MIN_BYTES} go there, large
 * ones aligned to 64 KiB so runtimes can map them (the allocation granularity of the common platforms, and
 * what the onnx package aligns to), the rest to a cache line.
 */
final class ExternalDataFile implements ModelSerializer.ExternalData {
    static final long MIN_BYTES = 1024;
    private static final long LARGE = 1L << 20;
    private static final long LARGE_ALIGNMENT = 1L << 16;
    private static final long SMALL_ALIGNMENT = 64;

    private final String location;
    private final Rope contents = new Rope();

    ExternalDataFile(String location) {
        this.location = location;
    }

    Rope contents() {
        return contents;
    }

    @Override
    public boolean externalizes(long byteSize) {
        return byteSize >= MIN_BYTES;
    }

    @Override
    public long append(MemorySegment bytes) {
        long alignment = bytes.byteSize() >= LARGE ? LARGE_ALIGNMENT : SMALL_ALIGNMENT;
        long offset = (contents.size() + alignment - 1) / alignment * alignment;
        contents.pad(offset - contents.size());
        contents.append(bytes);
        return offset;
    }

    @Override
    public String location() {
        return location;
    }
}
