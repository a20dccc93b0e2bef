package dev.wsvd.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.OperatorSetIdProto;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dev.wsvd.io.AtomicFile;
import dev.wsvd.layer.FactorPair;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An ONNX model held without copying its weights: the graph as a protobuf skeleton and every tensor's
 * elements as a view of the mapped model file or external data file (see {@link PayloadExtractor}).
 *
 * <p>Read one with {@link #read(Path)}; find its weight layers with {@link #layers}; split chosen layers with
 * {@link #rewrite}, which returns a new model and leaves this one as it was; write with {@link #write(Path)}
 * (atomically, never over the file it was read from) or serialize for ONNX Runtime with
 * {@link #toDirectByteBuffer()}.
 *
 * <p>A model owns the mapping of its files and must be closed. A rewritten model shares the untouched
 * weights of its source, which stay mapped until both are closed. Any use after close throws
 * {@link IllegalStateException}. Instances are not thread-safe for concurrent close; reading a model from
 * several threads is fine.
 */
public final class OnnxModel implements AutoCloseable {
    /** protobuf's limit for one message: a bigger model must keep its weights in external data. */
    static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

    private final ModelProto skeleton;
    private final Payloads payloads;
    private final String label;
    private final Path file;                 // null when read from memory
    private final Set<Path> protectedFiles;  // the source file and external data files: never written over
    private final boolean usesExternalData;
    private volatile CachedLayers cachedLayers;
    private volatile boolean closed;

    private OnnxModel(ModelProto skeleton, Payloads payloads, String label, Path file, Set<Path> protectedFiles,
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
    public static OnnxModel read(Path file) throws IOException {
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
    public static OnnxModel read(ByteBuffer bytes) throws OnnxFormatException {
        Objects.requireNonNull(bytes, "bytes");
        SharedMemory memory = new SharedMemory();
        try {
            return parse(MemorySegment.ofBuffer(bytes), "in-memory model", null, memory);
        } catch (OnnxFormatException | RuntimeException | Error e) {
            memory.release();
            throw e;
        }
    }

    /** Reads a model from a byte array, which it borrows without copying (see {@link #read(ByteBuffer)}). */
    public static OnnxModel read(byte[] bytes) throws OnnxFormatException {
        return read(ByteBuffer.wrap(bytes));
    }

    private static OnnxModel parse(MemorySegment bytes, String label, Path file, SharedMemory memory) throws OnnxFormatException {
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
        return new OnnxModel(skeleton, payloads, label, file, protectedFiles, !externalFiles.files().isEmpty());
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

    /** The file this model was read from, or empty for a model read from memory or produced by a rewrite. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** How messages name this model: its file name as given, {@code in-memory model}, or the rewritten source's name. */
    public String label() {
        return label;
    }

    /** The ONNX IR version the model declares. */
    public long irVersion() {
        return skeleton().getIrVersion();
    }

    /** The version of the standard operator set ({@code ai.onnx}) the model imports; 1 for IR versions without imports. */
    public long opsetVersion() {
        return opsetVersion(skeleton());
    }

    static long opsetVersion(ModelProto model) {
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
                return opset.getVersion();
            }
        }
        return 1;
    }

    /**
     * The model's weight layers, in the main graph and in subgraphs (If/Loop/Scan bodies), in graph order.
     * MAC counts (per sample) need output sizes: they come from the graph's value_info, or from one ONNX Runtime
     * run when the inputs are static but for a symbolic batch dimension (taken as 1); see
     * {@link #layers(InputShapes)} for models with other symbolic input dimensions.
     *
     * @throws OnnxFormatException if ONNX Runtime is needed to measure output sizes and cannot run the model
     * @throws IllegalArgumentException if a convolution's output size depends on symbolic input dimensions
     */
    public List<OnnxLayer> layers() throws OnnxFormatException {
        return layers(InputShapes.none());
    }

    /**
     * The model's weight layers, with output sizes computed for the given input shapes (which fix symbolic
     * dimensions like {@code batch} and {@code sequence}). The result is cached per input shapes.
     *
     * @throws IllegalArgumentException if a given input does not exist or disagrees with the declared shape, or
     *                                  some symbolic inputs have no shape and output sizes depend on them (the
     *                                  message lists them)
     */
    public List<OnnxLayer> layers(InputShapes inputShapes) throws OnnxFormatException {
        Objects.requireNonNull(inputShapes, "inputShapes");
        checkOpen();
        CachedLayers cached = this.cachedLayers;
        if (cached != null && cached.shapes().equals(inputShapes)) {
            return cached.layers();
        }
        List<OnnxLayer> layers = LayerAnalysis.analyze(this, inputShapes);
        this.cachedLayers = new CachedLayers(inputShapes, layers);
        return layers;
    }

    /**
     * The layer called {@code name} (see {@link OnnxLayer#name()}) among the layers listed last (with whatever
     * input shapes), or among {@link #layers()} if none were listed yet.
     *
     * @throws IllegalArgumentException if no weight layer has that name
     */
    public OnnxLayer layer(String name) throws OnnxFormatException {
        List<OnnxLayer> layers = cachedLayers != null ? cachedLayers.layers() : layers();
        return layers.stream().filter(layer -> layer.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(label + " has no weight layer named '" + name + "'"));
    }

    private record CachedLayers(InputShapes shapes, List<OnnxLayer> layers) {
    }

    /**
     * The layer's weight in the reference layout the split takes (Linear {@code out x in}, Conv
     * {@code Cout x Cin/groups x k...}) as f32, or f64 when stored as double; float16/bfloat16 weights are
     * widened and a Gemm's alpha is folded in. Where no conversion is needed (a Conv or transB Gemm f32 weight)
     * this is a read-only view of the mapped file; otherwise an owned copy. Close it after use.
     *
     * @throws IllegalArgumentException if the layer cannot be split or belongs to another model
     * @throws OnnxFormatException       if the stored data disagrees with the weight's shape
     */
    public Tensor weight(OnnxLayer layer) throws OnnxFormatException {
        LayerSite site = compressible(layer);
        Tensor stored = computeType(TensorCodec.read(site.weight().tensor(), payloads, label));
        boolean transposed = switch (site.kind()) {
            case MAT_MUL -> true;
            case GEMM -> Attributes.integer(site.node(), "transB", 0) == 0;
            default -> false;
        };
        Tensor weight = stored;
        if (transposed) {
            weight = stored.transpose();
            stored.close();
        }
        float alpha = site.kind() == LayerKind.GEMM ? Attributes.real(site.node(), "alpha", 1f) : 1f;
        return alpha == 1f ? weight : scaled(weight, alpha);
    }

    /**
     * The layer's per-output bias as a vector of {@code out} elements in the weight's compute type (a Conv's
     * B, or a Gemm's constant C of shape {@code [out]} or {@code [1, out]} times beta), or null when the layer
     * has none ({@code geometry().hasBias()} is false). Close it after use.
     */
    public Tensor bias(OnnxLayer layer) throws OnnxFormatException {
        LayerSite site = compressible(layer);
        if (site.bias() == null) {
            return null;
        }
        Tensor stored = computeType(TensorCodec.read(site.bias().tensor(), payloads, label));
        Tensor vector = stored.reshape(Shape.of(stored.shape().size()));
        Tensor bias = vector.copy();
        stored.close();
        float beta = site.kind() == LayerKind.GEMM ? Attributes.real(site.node(), "beta", 1f) : 1f;
        return beta == 1f ? bias : scaled(bias, beta);
    }

    private LayerSite compressible(OnnxLayer layer) {
        Objects.requireNonNull(layer, "layer");
        checkOpen();
        if (!layer.belongsTo(skeleton)) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' was not listed by " + label
                    + " itself; take layers from this model's layers()");
        }
        if (!layer.isCompressible()) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' of " + label + " cannot be split: "
                    + layer.notCompressibleReason().orElseThrow());
        }
        return layer.site();
    }

    private static Tensor computeType(Tensor stored) {
        if (stored.dtype().isComputeType()) {
            return stored;
        }
        Tensor widened = stored.to(DType.F32);
        stored.close();
        return widened;
    }

    private static Tensor scaled(Tensor tensor, float factor) {
        Tensor owned = tensor.ownsMemory() ? tensor : tensor.copy();
        if (owned != tensor) {
            tensor.close();
        }
        for (long i = 0; i < owned.shape().size(); i++) {
            owned.setDouble(i, owned.getDouble(i) * factor);
        }
        return owned;
    }

    /**
     * A new model in which each given layer is replaced by its factor pair (see {@link FactorPair}): nodes
     * {@code <layer>.0} and {@code <layer>.1} of the same op, initializers {@code <layer>.0.weight},
     * {@code <layer>.1.weight} (and {@code .bias}) in the layer's element type. This model is unchanged. The
     * pairs are copied: close them whenever convenient. The new model shares this model's untouched weights
     * and must be closed too.
     *
     * @throws IllegalArgumentException if a layer is not from this model's {@link #layers()}, cannot be split,
     *                                  or a pair's shapes do not match the layer
     */
    public OnnxModel rewrite(Map<OnnxLayer, FactorPair> pairs) {
        Objects.requireNonNull(pairs, "pairs");
        checkOpen();
        return LayerRewriter.rewrite(this, pairs);
    }

    /** {@link #rewrite(Map)} of a single layer. */
    public OnnxModel rewrite(OnnxLayer layer, FactorPair pair) {
        return rewrite(Map.of(layer, pair));
    }

    /**
     * Writes the model to {@code target}, keeping tensor data where it was (inline, or external when the
     * source used external data or the model is over 2 GB). See {@link #write(Path, ExternalDataMode)}.
     */
    public void write(Path target) throws IOException {
        write(target, ExternalDataMode.AUTO);
    }

    /**
     * Writes the model to {@code target}: first to a temporary file in the target's folder, then moved into
     * place. Weights are streamed from the mapped source, never assembled in memory. With external data the
     * tensors go to {@code <target file name>.data} next to it, written the same way.
     *
     * @throws IllegalArgumentException if {@code target} is the file this model (or its source) was read from,
     *                                  or one of its external data files
     */
    public void write(Path target, ExternalDataMode mode) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        checkOpen();
        Path absolute = target.toAbsolutePath().normalize();
        refuseSourceFile(absolute, target);
        Files.createDirectories(absolute.getParent());
        byte[] skeletonBytes = skeleton.toByteArray();
        boolean external = mode == ExternalDataMode.EXTERNAL || (mode == ExternalDataMode.AUTO && usesExternalData);
        Rope model = external ? null : ModelSerializer.serialize(skeletonBytes, payloads, null);
        if (model != null && model.size() > PROTOBUF_LIMIT) {
            if (mode == ExternalDataMode.INLINE) {
                throw new IllegalStateException(label + " is " + model.size() + " bytes, over protobuf's 2 GB limit for one"
                        + " file; write it with external data (ExternalDataMode.EXTERNAL or AUTO)");
            }
            external = true;
        }
        if (!external) {
            AtomicFile.write(absolute, model::writeTo);
            return;
        }
        Path dataFile = absolute.resolveSibling(absolute.getFileName() + ".data");
        refuseSourceFile(dataFile, dataFile);
        ExternalDataFile data = new ExternalDataFile(dataFile.getFileName().toString());
        model = ModelSerializer.serialize(skeletonBytes, payloads, data);
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
        Rope graph = model;
        try (AtomicFile.Staged stagedData = AtomicFile.stage(dataFile, data.contents()::writeTo);
             AtomicFile.Staged stagedModel = AtomicFile.stage(absolute, graph::writeTo)) {
            stagedData.publish();
            stagedModel.publish();
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
    long inlineSize() {
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

    /** The graph skeleton: tensor data replaced by payload markers (see {@link Payloads}). */
    ModelProto skeleton() {
        checkOpen();
        return skeleton;
    }

    Payloads payloads() {
        checkOpen();
        return payloads;
    }

    /** A model derived from this one by a rewrite: shares its payloads and protected files. */
    OnnxModel derive(ModelProto newSkeleton, Payloads newPayloads) {
        return new OnnxModel(newSkeleton, newPayloads, label, null, protectedFiles, usesExternalData);
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

    @Override
    public String toString() {
        return "OnnxModel[" + label + (closed ? ", closed" : "") + "]";
    }
}
