package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.OperatorSetIdProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.wire.ElementTypes;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.onnx.wire.WireModel;
import dev.wsvd.simd.Kernels;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An ONNX model held without copying its weights (see {@link WireModel}), with the weight layers found in it.
 *
 * <p>Read one with {@link #read(Path)}; find its weight layers with {@link #layers}; read a layer's weight in the
 * layout the split takes with {@link #weight}; split chosen layers with {@code dev.wsvd.onnx.rewrite.LayerRewriter},
 * which returns a new model and leaves this one as it was; write with {@link #write(Path)} (atomically, never over
 * the file it was read from) or serialize for ONNX Runtime with {@link #toDirectByteBuffer()}.
 *
 * <p>A model owns the mapping of its files and must be closed. A rewritten model shares the untouched
 * weights of its source, which stay mapped until both are closed. Any use after close throws
 * {@link IllegalStateException}. Instances are not thread-safe for concurrent close; reading a model from
 * several threads is fine.
 */
public final class OnnxModel implements AutoCloseable {
    private final WireModel wire;
    private volatile CachedLayers cachedLayers;

    private OnnxModel(WireModel wire) {
        this.wire = wire;
    }

    /** The model {@code wire} holds; closing the result closes {@code wire}. */
    public static OnnxModel of(WireModel wire) {
        return new OnnxModel(Objects.requireNonNull(wire, "wire"));
    }

    /**
     * Reads and maps an ONNX model file, and the external data files it refers to (relative to its folder).
     * The files are only read; nothing is copied onto the heap but the graph structure.
     *
     * @throws OnnxFormatException if the file is not an ONNX model, is truncated, or its external data is missing
     * @throws NoSuchFileException if the file does not exist
     */
    public static OnnxModel read(Path file) throws IOException {
        return new OnnxModel(WireModel.read(file));
    }

    /**
     * Reads a model from memory without copying: its tensors are views of {@code bytes} (from its position to
     * its limit), which the caller must neither change nor free while the model is open. A model read this
     * way cannot use external data.
     */
    public static OnnxModel read(ByteBuffer bytes) throws OnnxFormatException {
        return new OnnxModel(WireModel.read(bytes));
    }

    /** Reads a model from a byte array, which it borrows without copying (see {@link #read(ByteBuffer)}). */
    public static OnnxModel read(byte[] bytes) throws OnnxFormatException {
        return read(ByteBuffer.wrap(bytes));
    }

    /** The model at the wire level: its protobuf skeleton and tensor bytes, for code that edits or serializes it. */
    public WireModel wire() {
        return wire;
    }

    /** The file this model was read from, or empty for a model read from memory or produced by a rewrite. */
    public Optional<Path> file() {
        return wire.file();
    }

    /** How messages name this model: its file name as given, {@code in-memory model}, or the rewritten source's name. */
    public String label() {
        return wire.label();
    }

    /** The version of the standard operator set ({@code ai.onnx}) the model imports; 1 for IR versions without imports. */
    public long opsetVersion() {
        for (OperatorSetIdProto opset : skeleton().getOpsetImportList()) {
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
        skeleton(); // fails if closed
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
                new IllegalArgumentException(label() + " has no weight layer named '" + name + "'"));
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
        LayerSite site = site(layer);
        Tensor stored = computeType(wire.tensor(site.weight().tensor()));
        Tensor weight = stored;
        if (site.weightTransposed()) {
            weight = stored.transpose();
            stored.close();
        }
        float alpha = site.weightScale();
        return alpha == 1f ? weight : scaled(weight, alpha);
    }

    /**
     * Refuses a layer whose stored weight or bias holds a NaN or an infinity, naming the layer, the tensor and the
     * element: checked for every floating-point weight layer, split or not (a non-finite weight the split never
     * reads would still be written out and poison every output). Integer (quantized) weights cannot hold one.
     */
    public void requireFiniteWeights(OnnxLayer layer) throws OnnxFormatException {
        Objects.requireNonNull(layer, "layer");
        LayerSite site = layer.site();
        requireFinite(layer, site.weight().tensor(), "weight");
        if (site.bias() != null) {
            requireFinite(layer, site.bias().tensor(), "bias");
        }
    }

    private void requireFinite(OnnxLayer layer, TensorProto proto, String role) throws OnnxFormatException {
        if (ElementTypes.floatingType(proto.getDataType()).isEmpty()) {
            return;
        }
        try (Tensor stored = wire.tensor(proto)) {
            long flat = Kernels.firstNonFinite(stored);
            if (flat >= 0) {
                long[] at = new long[stored.shape().rank()];
                for (int axis = at.length - 1; axis >= 0; axis--) {
                    at[axis] = (flat / stride(stored.shape(), axis)) % stored.shape().dim(axis);
                }
                throw new OnnxFormatException(label() + ": layer " + layer.name() + " (" + layer.opType() + ") has "
                        + stored.getDouble(flat) + " at element " + Arrays.toString(at) + " of its " + role + " '"
                        + proto.getName() + "' " + stored.shape() + "; weights must be finite (repair or re-export the model)");
            }
        }
    }

    /** Elements between neighbours along {@code axis} in row-major order. */
    private static long stride(Shape shape, int axis) {
        long stride = 1;
        for (int i = axis + 1; i < shape.rank(); i++) {
            stride *= shape.dim(i);
        }
        return stride;
    }

    /**
     * The layer's per-output bias as a vector of {@code out} elements in the weight's compute type (a Conv's
     * B, or a Gemm's constant C of shape {@code [out]} or {@code [1, out]} times beta), or null when the layer
     * has none ({@code geometry().hasBias()} is false). Close it after use.
     */
    public Tensor bias(OnnxLayer layer) throws OnnxFormatException {
        LayerSite site = site(layer);
        if (site.bias() == null) {
            return null;
        }
        Tensor stored = computeType(wire.tensor(site.bias().tensor()));
        Tensor vector = stored.reshape(Shape.of(stored.shape().size()));
        Tensor bias = vector.copy();
        stored.close();
        float beta = site.kind() == LayerSite.Kind.GEMM ? Attributes.real(site.node(), "beta", 1f) : 1f;
        return beta == 1f ? bias : scaled(bias, beta);
    }

    /**
     * Whether ONNX Runtime can swap {@code layer}'s weight when it opens a session and change nothing else (see
     * {@link #toStoredLayout}): the weight is a dense initializer of the main graph, not also a graph input, read by
     * this layer's node only.
     */
    public boolean canReplaceWeight(OnnxLayer layer) {
        return WeightReplacement.isReplaceable(this, layer);
    }

    /**
     * The inverse of {@link #weight}: {@code reference} (Linear {@code out x in}, Conv {@code Cout x Cin/g x k...}) as
     * the layer stores its weight (transposed for a MatMul and a Gemm without {@code transB}, divided by a Gemm's
     * {@code alpha}, in the initializer's element type), to replace the initializer when a session opens. A new
     * tensor the caller closes.
     *
     * @throws IllegalArgumentException if the weight cannot be replaced ({@link #canReplaceWeight}) or the shape does
     *                                  not match
     */
    public Tensor toStoredLayout(OnnxLayer layer, Tensor reference) {
        return WeightReplacement.toStoredLayout(this, layer, reference);
    }

    /**
     * Where {@code layer} sits in this model's graph, for code that reads or rewrites it.
     *
     * @throws IllegalArgumentException if the layer was listed by another model or cannot be split
     */
    public LayerSite site(OnnxLayer layer) {
        Objects.requireNonNull(layer, "layer");
        if (!layer.belongsTo(skeleton())) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' was not listed by " + label()
                    + " itself; take layers from this model's layers()");
        }
        if (!layer.isCompressible()) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' of " + label() + " cannot be split: "
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
     * Writes the model to {@code target}, keeping tensor data where it was (inline, or external when the
     * source used external data or the model is over 2 GB). See {@link #write(Path, WireModel.ExternalData)}.
     */
    public void write(Path target) throws IOException {
        write(target, WireModel.ExternalData.AUTO);
    }

    /** Writes the model to {@code target} as {@link WireModel#write} does. */
    public void write(Path target, WireModel.ExternalData mode) throws IOException {
        wire.write(target, mode);
    }

    /** The serialized model with every tensor inline, as ONNX Runtime or another tool reads it from memory. */
    public byte[] toByteArray() {
        return wire.toByteArray();
    }

    /**
     * The serialized model with every tensor inline in a new direct buffer (position 0, limit its size): what
     * {@code OrtEnvironment.createSession(ByteBuffer, SessionOptions)} takes without another copy.
     */
    public ByteBuffer toDirectByteBuffer() {
        return wire.toDirectByteBuffer();
    }

    /** The graph skeleton: tensor data replaced by payload markers. */
    ModelProto skeleton() {
        return wire.skeleton();
    }

    /** Releases this model's mappings (shared ones once every model using them is closed). Idempotent. */
    @Override
    public void close() {
        wire.close();
    }

    @Override
    public String toString() {
        return "OnnxModel[" + label() + "]";
    }
}
