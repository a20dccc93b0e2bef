package dev.wsvd.eval;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.wsvd.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ONNX Runtime session over a {@link ModelSource}, with everything it holds natively (its options and any
 * replacement initializers) closed together.
 */
final class ModelSession implements AutoCloseable {
    /** Sessions opened and not yet closed, process-wide: lets tests prove repeated evaluations leak none. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final List<OnnxTensor> replacements;
    private final String description;
    private boolean closed;

    private ModelSession(OrtSession session, OrtSession.SessionOptions options, List<OnnxTensor> replacements,
                         String description) {
        this.session = session;
        this.options = options;
        this.replacements = replacements;
        this.description = description;
        OPEN.incrementAndGet();
    }

    /** The process-wide ONNX Runtime environment (created once, never closed: other code may share it). */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Opens a session for {@code model}.
     *
     * @param threads intra-op threads for this session (0: ONNX Runtime's default)
     */
    static ModelSession open(ModelSource model, SessionSettings settings, int threads) throws EvaluationException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        List<OnnxTensor> replacements = new ArrayList<>();
        try {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(optLevel(settings.optimization()));
            // Candidate models are opened hundreds of times; warnings such as unused initializers would flood the log.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            ModelSource base = model;
            if (model instanceof ModelSource.WithInitializers patched) {
                base = patched.base();
                for (Map.Entry<String, Tensor> entry : patched.initializers().entrySet()) {
                    OnnxTensor replacement = toOnnx(entry.getValue());
                    replacements.add(replacement);
                    options.addInitializer(entry.getKey(), replacement);
                }
            }
            OrtSession session = switch (base) {
                case ModelSource.InMemory memory -> environment().createSession(memory.bytes(), options);
                case ModelSource.OnDisk file -> {
                    if (!file.isReadableFile()) {
                        throw new EvaluationException("model file " + file.path() + " does not exist or is not readable");
                    }
                    yield environment().createSession(file.path().toString(), options);
                }
                case ModelSource.WithInitializers nested -> throw new AssertionError("nested replacements are flattened: " + nested);
            };
            return new ModelSession(session, options, replacements, model.description());
        } catch (OrtException | RuntimeException | EvaluationException e) {
            replacements.forEach(OnnxTensor::close);
            options.close();
            if (e instanceof EvaluationException evaluation) {
                throw evaluation;
            }
            throw new EvaluationException("ONNX Runtime cannot open " + model.description() + ": " + e.getMessage(), e);
        }
    }

    /** The underlying session; valid until {@link #close()}. */
    OrtSession session() {
        if (closed) {
            throw new IllegalStateException("the session for " + description + " was closed");
        }
        return session;
    }

    /** What the model is, for messages. */
    String description() {
        return description;
    }

    /** The model's tensor inputs by name, in the model's order. */
    Map<String, TensorInfo> inputs() throws EvaluationException {
        try {
            return tensorInfos(session().getInputInfo(), "input");
        } catch (OrtException e) {
            throw new EvaluationException("cannot read the inputs of " + description + ": " + e.getMessage(), e);
        }
    }

    /** The model's tensor outputs by name, in the model's order. */
    Map<String, TensorInfo> outputs() throws EvaluationException {
        try {
            return tensorInfos(session().getOutputInfo(), "output");
        } catch (OrtException e) {
            throw new EvaluationException("cannot read the outputs of " + description + ": " + e.getMessage(), e);
        }
    }

    /** Number of sessions opened by this package and not closed yet. */
    static int openCount() {
        return OPEN.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to close the session for " + description, e);
        } finally {
            // The replacements must outlive the session that reads them, so they go after it.
            replacements.forEach(OnnxTensor::close);
            options.close();
            OPEN.decrementAndGet();
        }
    }

    private Map<String, TensorInfo> tensorInfos(Map<String, NodeInfo> nodes, String kind) throws EvaluationException {
        Map<String, TensorInfo> result = new LinkedHashMap<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo tensor)) {
                throw new EvaluationException(kind + " " + node.getName() + " of " + description + " is not a tensor ("
                        + node.getInfo() + "); only tensor " + kind + "s are supported");
            }
            result.put(node.getName(), tensor);
        }
        return result;
    }

    private static OnnxTensor toOnnx(Tensor tensor) throws OrtException {
        OnnxJavaType type = switch (tensor.dtype()) {
            case F32 -> OnnxJavaType.FLOAT;
            case F64 -> OnnxJavaType.DOUBLE;
            case F16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
        };
        // A direct buffer over the tensor's own memory: ONNX Runtime reads it in place, no copy.
        ByteBuffer data = tensor.segment().asByteBuffer().order(ByteOrder.nativeOrder());
        return OnnxTensor.createTensor(environment(), data, tensor.shape().toArray(), type);
    }

    private static OptLevel optLevel(SessionSettings.Optimization optimization) {
        return switch (optimization) {
            case NONE -> OptLevel.NO_OPT;
            case BASIC -> OptLevel.BASIC_OPT;
            case EXTENDED -> OptLevel.EXTENDED_OPT;
            case ALL -> OptLevel.ALL_OPT;
        };
    }
}
