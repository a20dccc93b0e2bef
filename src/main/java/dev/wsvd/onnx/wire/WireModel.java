package dev.wsvd.onnx.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.wsvd.io.AtomicFile;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An ONNX model at the wire level: the graph as a protobuf skeleton and every tensor's elements left where they lie
 * (the mapped model file, a mapped external data file, the caller's buffer), see {@link PayloadExtractor}.
 *
 * <p>Read one with {@link #read(Path)}; read a tensor's elements with {@link #tensor}; make a changed copy with
 * {@link #derive}, which shares the untouched tensors; write with {@link #write} (atomically, never over a file it
 * was read from) or serialize with {@link #toDirectByteBuffer()}. A model owns the mapping of its files and must be
 * closed; a derived model keeps the shared mappings alive until both are closed. Any use after close throws
 * {@link IllegalStateException}.
 */
public final class WireModel implements AutoCloseable {
    /** protobuf's limit for one message: a bigger model must keep its weights in external data. */
    private static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

    /** Where a written model keeps its tensor data. */
    public enum ExternalData {
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

    /** Adds tensors to a model being derived. */
    @FunctionalInterface
    public interface NewTensors {
        /**
         * A skeleton tensor named {@code name} holding {@code values} converted to {@code storage}; the bytes are
         * copied into the derived model's memory, so {@code values} may be closed afterwards.
         */
        TensorProto add(String name, Tensor values, DType storage);
    }

    /** Builds the skeleton of a derived model, adding the tensors it needs. */
    @FunctionalInterface
    public interface Derivation {
        ModelProto skeleton(NewTensors tensors);
    }

    private final ModelProto skeleton;
    private final Payloads payloads;
    private final String label;
    private final Path file;                 // null when read from memory or derived
    private final Set<Path> protectedFiles;  // the source file and external data files: never written over
    private final boolean usesExternalData;
    private volatile boolean closed;

    private WireModel(ModelProto skeleton, Payloads payloads, String label, Path file, Set<Path> protectedFiles,
                      boolean usesExternalData) {
        this.skeleton = skeleton;
        this.payloads = payloads;
        this.label = label;
        this.file = file;
        this.protectedFiles = Set.copyOf(protectedFiles);
        this.usesExternalData = usesExternalData;
    }

    /**
     * Reads and maps an ONNX model file, and the external data files it refers to (relative to its folder).
     * The files are only read; nothing is copied onto the heap but the graph structure.
     *
     * @throws OnnxFormatException if the file is not an ONNX model, is truncated, or its external data is missing
     * @throws NoSuchFileException if the file does not exist
     */
    public static WireModel read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
        if (Files.isDirectory(absolute)) {
            throw new OnnxFormatException(file + " is a folder, not an ONNX model file");
        }
        long size = Files.size(absolute);
        if (size == 0) {
            throw new OnnxFormatException(file + " is empty, not an ONNX model");
        }
        SharedMemory memory = new SharedMemory();
        try {
            MemorySegment mapped;
            try (FileChannel channel = FileChannel.open(absolute, StandardOpenOption.READ)) {
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, memory.arena());
            }
            return parse(mapped, file.toString(), absolute, memory);
        } catch (IOException | RuntimeException | Error e) {
            memory.release();
            throw e;
        }
    }

    /**
     * Reads a model from memory without copying: its tensors are views of {@code bytes} (from its position to
     * its limit), which the caller must neither change nor free while the model is open. A model read this
     * way cannot use external data.
     */
    public static WireModel read(ByteBuffer bytes) throws OnnxFormatException {
        Objects.requireNonNull(bytes, "bytes");
        SharedMemory memory = new SharedMemory();
        try {
            return parse(MemorySegment.ofBuffer(bytes), "in-memory model", null, memory);
        } catch (OnnxFormatException | RuntimeException | Error e) {
            memory.release();
            throw e;
        }
    }

    private static WireModel parse(MemorySegment bytes, String label, Path file, SharedMemory memory) throws OnnxFormatException {
        if (bytes.byteSize() == 0) {
            throw new OnnxFormatException(label + " is empty, not an ONNX model");
        }
        Payloads payloads = Payloads.owning(memory);
        ExternalFiles externalFiles = new ExternalFiles(file == null ? null : file.getParent(), label, memory.arena());
        byte[] skeletonBytes;
        try {
            skeletonBytes = PayloadExtractor.extract(bytes, payloads, externalFiles);
        } catch (Wire.MalformedException e) {
            throw new OnnxFormatException(label + " is not an ONNX model, or it is truncated or corrupt: " + e.getMessage(), e);
        }
        ModelProto skeleton;
        try {
            skeleton = ModelProto.parseFrom(skeletonBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(label + " is not an ONNX model, or it is corrupt: " + e.getMessage(), e);
        }
        validate(skeleton, label);
        Set<Path> protectedFiles = new HashSet<>(externalFiles.files());
        if (file != null) {
            protectedFiles.add(file);
        }
        return new WireModel(skeleton, payloads, label, file, protectedFiles, !externalFiles.files().isEmpty());
    }

    private static void validate(ModelProto model, String label) throws OnnxFormatException {
        if (!model.hasGraph()) {
            throw new OnnxFormatException(label + " is not an ONNX model (or it is truncated): it has no graph");
        }
        if (!model.hasIrVersion() || model.getIrVersion() <= 0) {
            throw new OnnxFormatException(label + " is not an ONNX model (or it is truncated): it has no IR version");
        }
        if (model.getIrVersion() >= 3 && model.getOpsetImportCount() == 0) {
            throw new OnnxFormatException(label + " is not an ONNX model (or it is truncated): it imports no operator set");
        }
    }

    /** The file this model was read from, or empty for a model read from memory or derived. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** How messages name this model: its file name as given, {@code in-memory model}, or its source's name. */
    public String label() {
        return label;
    }

    /** The graph skeleton: tensor data replaced by payload markers (see {@link Payloads}). */
    public ModelProto skeleton() {
        checkOpen();
        return skeleton;
    }

    /**
     * The elements of a FLOAT, DOUBLE, FLOAT16 or BFLOAT16 tensor of this model's skeleton in its own type: a
     * read-only view of the mapped file where no conversion is needed, an owned copy otherwise. Close it after use.
     *
     * @throws OnnxFormatException if the data is missing or disagrees with the tensor's shape
     */
    public Tensor tensor(TensorProto tensor) throws OnnxFormatException {
        checkOpen();
        return TensorCodec.read(tensor, payloads, label);
    }

    /**
     * A new model with the skeleton {@code derivation} builds, sharing this model's tensors; the tensors it adds
     * live in the new model's memory. This model is unchanged; both must be closed.
     */
    public WireModel derive(Derivation derivation) {
        checkOpen();
        Payloads derived = Payloads.derivedFrom(payloads);
        try {
            ModelProto newSkeleton = derivation.skeleton((name, values, storage) -> TensorCodec.write(name, values, storage, derived));
            return new WireModel(newSkeleton, derived, label, null, protectedFiles, usesExternalData);
        } catch (RuntimeException | Error e) {
            derived.close();
            throw e;
        }
    }

    /** Striped by target path: the model and data files of one target are published together (see {@link #write}). */
    private static final ReentrantLock[] PUBLISH_LOCKS = new ReentrantLock[64];

    static {
        for (int i = 0; i < PUBLISH_LOCKS.length; i++) {
            PUBLISH_LOCKS[i] = new ReentrantLock();
        }
    }

    /**
     * Writes the model to {@code target} through {@link AtomicFile}. Weights are streamed from where they lie, never
     * assembled in memory. With external data the tensors go to {@code <target file name>.data} next to it; both
     * files are complete before either is moved into place.
     *
     * @throws IllegalArgumentException if {@code target} is the file this model (or its source) was read from,
     *                                  or one of its external data files
     */
    public void write(Path target, ExternalData mode) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        checkOpen();
        Path absolute = target.toAbsolutePath().normalize();
        refuseSourceFile(absolute, target);
        Files.createDirectories(absolute.getParent());
        byte[] skeletonBytes = skeleton.toByteArray();
        boolean external = mode == ExternalData.EXTERNAL || (mode == ExternalData.AUTO && usesExternalData);
        if (!external) {
            Rope model = ModelSerializer.serialize(skeletonBytes, payloads, null);
            if (model.size() <= PROTOBUF_LIMIT) {
                AtomicFile.write(absolute, model::writeTo);
                return;
            }
            if (mode == ExternalData.INLINE) {
                throw new IllegalStateException(label + " is " + model.size() + " bytes, over protobuf's 2 GB limit for one"
                        + " file; write it with external data (ExternalData.EXTERNAL or AUTO)");
            }
        }
        Path dataFile = absolute.resolveSibling(absolute.getFileName() + ".data");
        refuseSourceFile(dataFile, dataFile);
        ExternalDataFile data = new ExternalDataFile(dataFile.getFileName().toString());
        Rope model = ModelSerializer.serialize(skeletonBytes, payloads, data);
        if (model.size() > PROTOBUF_LIMIT) {
            throw new IllegalStateException(label + ": even with external data its graph is " + model.size()
                    + " bytes, over protobuf's 2 GB limit");
        }
        if (data.contents().size() == 0) {
            // every tensor is below the external-data threshold: a data file would be empty and unused
            AtomicFile.write(absolute, model::writeTo);
            return;
        }
        // both files complete before either is published; the data first, so the model never refers to missing data
        try (AtomicFile.Staged stagedData = AtomicFile.stage(dataFile, data.contents()::writeTo);
             AtomicFile.Staged stagedModel = AtomicFile.stage(absolute, model::writeTo)) {
            // Two writers of the same target publishing in turn (data A, data B, model B, model A) would leave one
            // run's model next to the other's data: each pair is published under the target's lock.
            ReentrantLock lock = PUBLISH_LOCKS[Math.floorMod(absolute.hashCode(), PUBLISH_LOCKS.length)];
            lock.lock();
            try {
                stagedData.publish();
                stagedModel.publish();
            } finally {
                lock.unlock();
            }
        }
    }

    private void refuseSourceFile(Path absolute, Path asGiven) throws IOException {
        for (Path source : protectedFiles) {
            if (source.equals(absolute) || (Files.exists(absolute) && Files.isSameFile(source, absolute))) {
                throw new IllegalArgumentException("refusing to write " + asGiven + ": it is " + source
                        + ", which " + label + " was read from; choose another output path");
            }
        }
    }

    /** The serialized model with every tensor inline, as ONNX Runtime or another tool reads it from memory. */
    public byte[] toByteArray() {
        Rope rope = inlineRope();
        byte[] bytes = new byte[Math.toIntExact(rope.size())];
        rope.copyTo(MemorySegment.ofArray(bytes));
        return bytes;
    }

    /**
     * The serialized model with every tensor inline in a new direct buffer (position 0, limit its size): what
     * {@code OrtEnvironment.createSession(ByteBuffer, SessionOptions)} takes without another copy.
     */
    public ByteBuffer toDirectByteBuffer() {
        Rope rope = inlineRope();
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(rope.size()));
        rope.copyTo(MemorySegment.ofBuffer(buffer));
        return buffer;
    }

    /** The size of the model serialized with every tensor inline. */
    public long inlineSize() {
        checkOpen();
        return ModelSerializer.serialize(skeleton.toByteArray(), payloads, null).size();
    }

    private Rope inlineRope() {
        checkOpen();
        Rope rope = ModelSerializer.serialize(skeleton.toByteArray(), payloads, null);
        if (rope.size() > PROTOBUF_LIMIT - 8) {
            throw new IllegalStateException(label + " is " + rope.size() + " bytes, more than one in-memory protobuf"
                    + " message can hold (2 GB); write it to a file with external data instead");
        }
        return rope;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(label + " was closed and can no longer be used");
        }
    }

    /** Releases this model's mappings (shared ones once every model using them is closed). Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            payloads.close();
        }
    }
}
