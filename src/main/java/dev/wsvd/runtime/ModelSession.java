package dev.wsvd.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.wsvd.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One ONNX Runtime session over a {@link SessionModel}, with everything it holds natively (its options and any
 * replacement initializers) closed together. The only way wsvd runs a model: the rest of the code sees
 * {@link Feed}s, {@link ValueInfo}s, float outputs and output shapes, never ONNX Runtime's own types. A model over
 * protobuf's 2 GB message limit is opened from a temporary copy with external data ({@link SerializedModel}).
 */
public final class ModelSession implements AutoCloseable {
    /** Sessions opened and not yet closed, process-wide: lets tests prove repeated evaluations leak none. */
    private static final AtomicInteger OPEN = new AtomicInteger();
    /**
     * protobuf's limit for one message, which an in-memory model is, less the slack the JDK keeps for arrays: a larger
     * model reaches ONNX Runtime as a file with its weights in external data.
     */
    private static final long IN_MEMORY_LIMIT = Integer.MAX_VALUE - 8;

    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final List<OnnxTensor> replacements;
    private final String description;
    /**
     * Weights the model takes as inputs (see {@link #openWithWeightInputs}), fed on every run and hidden from
     * {@link #inputs()}, so evaluators see the model's own inputs only. Empty for an ordinary session.
     */
    private final Map<String, Feed> weightFeeds;
    /** Feeds this object created and closes: all of them for a session, the replaced ones for a view. */
    private final List<Feed> ownedFeeds;
    /** The session this is a view of ({@link #replacing}), or null: a view closes its own feeds only. */
    private final ModelSession viewOf;
    private Path temporaryFolder; // the model's files when the session was opened on a spilled copy; deleted on close
    private boolean closed;

    private ModelSession(OrtSession session, OrtSession.SessionOptions options, List<OnnxTensor> replacements,
                         String description) {
        this(session, options, replacements, description, Map.of(), List.of(), null);
        OPEN.incrementAndGet();
    }

    private ModelSession(OrtSession session, OrtSession.SessionOptions options, List<OnnxTensor> replacements,
                         String description, Map<String, Feed> weightFeeds, List<Feed> ownedFeeds, ModelSession viewOf) {
        this.session = session;
        this.options = options;
        this.replacements = replacements;
        this.description = description;
        this.weightFeeds = weightFeeds;
        this.ownedFeeds = ownedFeeds;
        this.viewOf = viewOf;
    }

    /**
     * A model its owner serializes on demand, for {@link #open(SerializedModel, SessionSettings, int)}: whole in
     * memory when it fits in one protobuf message, or as a file with external data when it does not.
     */
    public interface SerializedModel {
        /** What messages call the model. */
        String description();

        /** Its size serialized with every tensor inline. */
        long inlineSize();

        /** The model serialized with every tensor inline into a new direct buffer (position 0, limit its size). */
        ByteBuffer inline();

        /** Writes the model to {@code file}, its tensor data in an external data file beside it. */
        void writeWithExternalData(Path file) throws IOException;
    }

    /** Reads a float output of one run; {@code values} is valid only during the call. */
    @FunctionalInterface
    public interface OutputReader<T> {
        T read(long[] shape, FloatBuffer values) throws SessionException;
    }

    /** The process-wide ONNX Runtime environment (created once, never closed: other code may share it). */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Opens a session for {@code model}.
     *
     * @param threads intra-op threads for this session (0: ONNX Runtime's default)
     * @throws SessionException if the file is missing or ONNX Runtime rejects the model
     */
    public static ModelSession open(SessionModel model, SessionSettings settings, int threads) throws SessionException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        List<OnnxTensor> replacements = new ArrayList<>();
        try {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(optLevel(settings.optimization()));
            // Candidate models are opened hundreds of times; warnings such as unused initializers would flood the log.
            options.setSessionLogLevel(settings.logFailures() ? OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR
                    : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            for (Map.Entry<String, Tensor> entry : model.initializers().entrySet()) {
                Feed replacement = Feed.of(entry.getValue());
                replacements.add(replacement.tensor());
                options.addInitializer(entry.getKey(), replacement.tensor());
            }
            OrtSession session;
            if (model.bytes() != null) {
                session = environment().createSession(model.bytes().duplicate(), options);
            } else {
                if (!Files.isRegularFile(model.file()) || !Files.isReadable(model.file())) {
                    throw new SessionException("model file " + model.file() + " does not exist or is not readable");
                }
                session = environment().createSession(model.file().toString(), options);
            }
            return new ModelSession(session, options, replacements, model.description());
        } catch (OrtException | RuntimeException | SessionException e) {
            replacements.forEach(OnnxTensor::close);
            options.close();
            if (e instanceof SessionException known) {
                throw known;
            }
            throw new SessionException("ONNX Runtime cannot open " + model.description() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a session for {@code model}: from memory when it fits in one protobuf message, otherwise from a copy with
     * external data written into a temporary folder, which is deleted when the session closes.
     *
     * @throws SessionException if the copy cannot be written or ONNX Runtime rejects the model
     */
    public static ModelSession open(SerializedModel model, SessionSettings settings, int threads) throws SessionException {
        if (model.inlineSize() <= IN_MEMORY_LIMIT) {
            return open(SessionModel.inMemory(model.inline(), model.description()), settings, threads);
        }
        Path folder = null;
        try {
            folder = Files.createTempDirectory("wsvd-session");
            Path file = folder.resolve("model.onnx");
            model.writeWithExternalData(file);
            ModelSession session = open(new SessionModel(null, file, Map.of(), model.description()), settings, threads);
            session.temporaryFolder = folder;
            return session;
        } catch (IOException e) {
            deleteQuietly(folder);
            throw new SessionException("cannot write " + model.description() + " with external data for ONNX Runtime into a"
                    + " temporary folder: " + e.getMessage(), e);
        } catch (SessionException | RuntimeException e) {
            deleteQuietly(folder);
            throw e;
        }
    }

    /**
     * Opens a session for a model that takes some of its weights as graph inputs ({@code weights}, by input name,
     * borrowed: keep them open and unchanged while the session lives). Every run feeds them, and {@link #inputs()}
     * does not list them, so the session computes the model with its weights where they were; {@link #replacing}
     * gives a view that feeds some of them differently. One such session serves a whole sweep of candidates that
     * each change one weight, where opening a session per candidate would cost more than running it.
     *
     * @throws SessionException if a weight cannot be fed, or the session cannot be opened
     */
    public static ModelSession openWithWeightInputs(SerializedModel model, Map<String, Tensor> weights, SessionSettings settings,
                                                    int threads) throws SessionException {
        Map<String, Feed> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> weight : weights.entrySet()) {
                feeds.put(weight.getKey(), Feed.of(weight.getValue()));
            }
            ModelSession opened = open(model, settings, threads);
            ModelSession session = new ModelSession(opened.session, opened.options, opened.replacements, opened.description,
                    Map.copyOf(feeds), List.copyOf(feeds.values()), null);
            session.temporaryFolder = opened.temporaryFolder;
            // the new object takes over the native resources; the counter already holds one for them
            return session;
        } catch (SessionException | RuntimeException e) {
            feeds.values().forEach(Feed::close);
            throw e;
        }
    }

    /**
     * A view of this session that feeds {@code weights} (by input name, borrowed until the view is closed) in place
     * of the weights it was opened with. Close the view after its runs; closing it leaves this session open. Use a
     * session (and its views) from one thread at a time.
     *
     * @throws IllegalArgumentException if a name is not one of the weight inputs, or a weight's shape or type differs
     * @throws SessionException         if ONNX Runtime cannot take a tensor
     */
    public ModelSession replacing(Map<String, Tensor> weights, String newDescription) throws SessionException {
        if (viewOf != null) {
            throw new IllegalStateException("replace weights on the session, not on a view of it");
        }
        open();
        Map<String, Feed> merged = new LinkedHashMap<>(weightFeeds);
        List<Feed> created = new ArrayList<>();
        try {
            for (Map.Entry<String, Tensor> weight : weights.entrySet()) {
                Feed current = weightFeeds.get(weight.getKey());
                if (current == null) {
                    throw new IllegalArgumentException(description + " takes no weight input " + weight.getKey()
                            + "; its weight inputs are " + weightFeeds.keySet());
                }
                Feed replacement = Feed.of(weight.getValue());
                created.add(replacement);
                if (!java.util.Arrays.equals(replacement.shape(), current.shape()) || replacement.type() != current.type()) {
                    throw new IllegalArgumentException("weight " + weight.getKey() + " of " + description + " is "
                            + current.type() + java.util.Arrays.toString(current.shape()) + ", not " + replacement.type()
                            + java.util.Arrays.toString(replacement.shape()));
                }
                merged.put(weight.getKey(), replacement);
            }
        } catch (SessionException | RuntimeException e) {
            created.forEach(Feed::close);
            throw e;
        }
        return new ModelSession(session, options, replacements, newDescription, Map.copyOf(merged), List.copyOf(created), this);
    }

    /** What the model is, for messages. */
    public String description() {
        return description;
    }

    /** The model's inputs by name, in the model's order. */
    public Map<String, ValueInfo> inputs() throws SessionException {
        try {
            Map<String, ValueInfo> inputs = valueInfos(open().getInputInfo());
            inputs.keySet().removeAll(weightFeeds.keySet());
            return inputs;
        } catch (OrtException e) {
            throw new SessionException("cannot read the inputs of " + description + ": " + e.getMessage(), e);
        }
    }

    /** The model's outputs by name, in the model's order. */
    public Map<String, ValueInfo> outputs() throws SessionException {
        try {
            return valueInfos(open().getOutputInfo());
        } catch (OrtException e) {
            throw new SessionException("cannot read the outputs of " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the model on {@code feeds} and hands the float output {@code output} to {@code reader}.
     *
     * @throws SessionException if ONNX Runtime fails, or the output is not a float tensor
     */
    public <T> T run(Map<String, Feed> feeds, String output, OutputReader<T> reader) throws SessionException {
        try (OrtSession.Result result = open().run(tensors(feeds), Set.of(output))) {
            OnnxValue value = result.get(0);
            if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
                throw new SessionException("output " + output + " of " + description + " is not a float tensor: " + value.getInfo());
            }
            return reader.read(tensor.getInfo().getShape(), tensor.getFloatBuffer());
        } catch (OrtException e) {
            throw new SessionException("ONNX Runtime failed to run " + description + ": " + e.getMessage(), e);
        }
    }

    /** Reads one float output of a run that fetches several; {@code values} is valid only during the call. */
    @FunctionalInterface
    public interface NamedOutputReader {
        void read(String output, long[] shape, FloatBuffer values) throws SessionException;
    }

    /**
     * Runs the model once on {@code feeds} and hands each of {@code outputs} (float tensors: outputs of the graph or
     * intermediate values its owner listed as extra outputs) to {@code reader}, in the order given. One run computes
     * them all; they are released when the call returns, so a caller streaming over batches holds one run's outputs
     * at a time.
     *
     * @throws SessionException if ONNX Runtime fails, or an output is missing or not a float tensor (naming it)
     */
    public void run(Map<String, Feed> feeds, List<String> outputs, NamedOutputReader reader) throws SessionException {
        try (OrtSession.Result result = open().run(tensors(feeds), new java.util.LinkedHashSet<>(outputs))) {
            for (String name : outputs) {
                OnnxValue value = result.get(name).orElse(null);
                if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
                    throw new SessionException("value " + name + " of " + description + " is not a float tensor: "
                            + (value == null ? "missing from the run's outputs" : value.getInfo()));
                }
                reader.read(name, tensor.getInfo().getShape(), tensor.getFloatBuffer());
            }
        } catch (OrtException e) {
            throw new SessionException("ONNX Runtime failed to run " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the model on {@code feeds} and returns the shapes of the {@code outputs} that are tensors (of any element
     * type): outputs of the graph, or intermediate values its owner listed as extra outputs.
     *
     * @throws SessionException if ONNX Runtime fails
     */
    public Map<String, long[]> outputShapes(Map<String, Feed> feeds, Set<String> outputs) throws SessionException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (OrtSession.Result result = open().run(tensors(feeds), outputs)) {
            for (String name : outputs) {
                if (result.get(name).orElse(null) instanceof OnnxTensor tensor) {
                    shapes.put(name, tensor.getInfo().getShape());
                }
            }
            return shapes;
        } catch (OrtException e) {
            throw new SessionException("ONNX Runtime failed to run " + description + ": " + e.getMessage(), e);
        }
    }

    /** Number of sessions opened and not closed yet. */
    public static int openCount() {
        return OPEN.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (viewOf != null) {
            ownedFeeds.forEach(Feed::close);
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to close the session for " + description, e);
        } finally {
            // The replacements must outlive the session that reads them, so they go after it.
            replacements.forEach(OnnxTensor::close);
            ownedFeeds.forEach(Feed::close);
            options.close();
            deleteQuietly(temporaryFolder);
            OPEN.decrementAndGet();
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind costs disk space, never correctness
        }
    }

    /** The caller's feeds and the weight inputs'. */
    private Map<String, OnnxTensor> tensors(Map<String, Feed> feeds) {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        weightFeeds.forEach((name, feed) -> tensors.put(name, feed.tensor()));
        feeds.forEach((name, feed) -> {
            if (weightFeeds.containsKey(name)) {
                throw new IllegalArgumentException(name + " is a weight input of " + description + "; it is fed already");
            }
            tensors.put(name, feed.tensor());
        });
        return tensors;
    }

    private OrtSession open() {
        if (closed || (viewOf != null && viewOf.closed)) {
            throw new IllegalStateException("the session for " + description + " was closed");
        }
        return session;
    }

    private static Map<String, ValueInfo> valueInfos(Map<String, NodeInfo> nodes) {
        Map<String, ValueInfo> result = new LinkedHashMap<>();
        for (NodeInfo node : nodes.values()) {
            result.put(node.getName(), node.getInfo() instanceof TensorInfo tensor
                    ? new ValueInfo(node.getName(), elementType(tensor.type), tensor.getShape())
                    : new ValueInfo(node.getName(), "non-tensor", new long[0]));
        }
        return result;
    }

    private static String elementType(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> ValueInfo.FLOAT;
            case INT64 -> ValueInfo.INT64;
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
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
