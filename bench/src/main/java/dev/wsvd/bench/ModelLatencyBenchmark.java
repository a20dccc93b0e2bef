package dev.wsvd.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.wsvd.ClassificationAccuracy;
import dev.wsvd.CompressionException;
import dev.wsvd.CompressionResult;
import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.ModelSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime inference latency of an original model against its wsvd-compressed versions: does a model with
 * fewer MACs run faster (AIMET issue #809 reports that it need not)?
 *
 * <p>Each trial builds its model in {@code @Setup}: the original from the class path, a manual-ratio model by
 * compressing it in-process with {@link WeightSvdCompressor} (no evaluator needed), and the auto-mode MiniLM at
 * MAC ratio 0.8 from the file {@code wsvd demo} writes (see {@link #DEMO_MODEL_ENV}). The compressed model's MAC
 * ratio is printed to the fork's output. The session and input tensors live for the whole trial; one operation is
 * one {@code session.run} whose result is closed. Sessions use optimization level ALL and
 * {@code intraOpThreads} threads, one inter-op thread (sequential execution).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class ModelLatencyBenchmark {

    /** Environment variable naming the auto-mode MiniLM model file; defaults to {@link #DEFAULT_DEMO_MODEL}. */
    static final String DEMO_MODEL_ENV = "WSVD_BENCH_DEMO_MODEL";
    /** Where {@code ./wsvd demo --out /tmp/lat-demo} writes its compressed model. */
    static final String DEFAULT_DEMO_MODEL = "/tmp/lat-demo/all-minilm-l6-v2-wsvd.onnx";

    private static final String MINILM = "/all-minilm-l6-v2.onnx";
    private static final String FASHION_CNN = "/dev/wsvd/models/fashion-mnist/fashion-mnist-cnn.onnx";
    private static final int SEQUENCE = 128;

    /** all-minilm-l6-v2 at batch x 128 tokens. */
    @State(Scope.Benchmark)
    public static class MiniLm {
        /** original; auto-0.8: the demo's auto-mode model; ratio-0.5: manual ratio 0.5 on every layer. */
        @Param({"original", "auto-0.8", "ratio-0.5"})
        public String variant;

        @Param({"1", "32"})
        public int batch;

        @Param({"1", "2"})
        public int intraOpThreads;

        InferenceSession inference;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            ModelSource original = ModelSource.fromResource(MINILM);
            ByteBuffer model = switch (variant) {
                case "original" -> ((ModelSource.InMemory) original).bytes();
                case "auto-0.8" -> demoModel();
                case "ratio-0.5" -> compress(original, 0.5, true);
                default -> throw new IllegalArgumentException("unknown variant " + variant);
            };
            inference = new InferenceSession(model, intraOpThreads, env -> {
                long[] ids = new long[batch * SEQUENCE];
                long[] ones = new long[batch * SEQUENCE];
                long[] zeros = new long[batch * SEQUENCE];
                for (int i = 0; i < ids.length; i++) {
                    int position = i % SEQUENCE;
                    // [CLS] ... [SEP] around ordinary word-piece ids; any fixed ids give the same amount of work
                    ids[i] = position == 0 ? 101 : position == SEQUENCE - 1 ? 102 : 1000 + (i * 7919L) % 20000;
                    ones[i] = 1;
                }
                long[] shape = {batch, SEQUENCE};
                return Map.of(
                        "input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape),
                        "attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape),
                        "token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(zeros), shape));
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            inference.close();
        }

        private static ByteBuffer demoModel() throws IOException {
            Path file = Path.of(System.getenv().getOrDefault(DEMO_MODEL_ENV, DEFAULT_DEMO_MODEL));
            if (!Files.isRegularFile(file)) {
                throw new IOException("auto-0.8 needs the demo's compressed model at " + file + ": run "
                        + "`./wsvd demo --out /tmp/lat-demo` first, or set " + DEMO_MODEL_ENV + " to its path");
            }
            byte[] bytes = Files.readAllBytes(file);
            System.out.println("auto-0.8: " + file + " (MAC ratio: see report.json next to it)");
            return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }
    }

    /** The bundled Fashion-MNIST CNN at batch x 1 x 28 x 28. */
    @State(Scope.Benchmark)
    public static class FashionCnn {
        /**
         * original; ratio-0.5: manual ratio 0.5 on every layer; auto-0.5: auto mode at MAC target 0.5 scored by
         * accuracy on the bundled 1,000-image test slice (the acceptance case), built in {@code @Setup}.
         */
        @Param({"original", "ratio-0.5", "auto-0.5"})
        public String variant;

        @Param({"1", "32"})
        public int batch;

        @Param({"1", "2"})
        public int intraOpThreads;

        InferenceSession inference;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            ModelSource original = ModelSource.fromResource(FASHION_CNN);
            ByteBuffer model = switch (variant) {
                case "original" -> ((ModelSource.InMemory) original).bytes();
                case "ratio-0.5" -> compress(original, 0.5, false);
                case "auto-0.5" -> compressAuto(original, 0.5);
                default -> throw new IllegalArgumentException("unknown variant " + variant);
            };
            inference = new InferenceSession(model, intraOpThreads, env -> {
                float[] pixels = new float[batch * 28 * 28];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (i * 37 % 256) / 255f;   // a fixed pattern in the training data's [0, 1] range
                }
                return Map.of("input", OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {batch, 1, 28, 28}));
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            inference.close();
        }
    }

    @Benchmark
    public void miniLm(MiniLm state) throws OrtException {
        state.inference.run();
    }

    @Benchmark
    public void fashionCnn(FashionCnn state) throws OrtException {
        state.inference.run();
    }

    /**
     * Compresses {@code model} with one manual ratio for every layer, with one compute thread so that no OpenBLAS
     * pool is left busy beside the measured session, and prints the resulting MAC ratio.
     *
     * @param tokens whether the model takes BERT's token inputs, which get a sequence of {@link #SEQUENCE} tokens
     */
    static ByteBuffer compress(ModelSource model, double ratio, boolean tokens) throws CompressionException {
        WeightSvdCompressor.Builder builder = WeightSvdCompressor.builder().ratio(ratio).threads(1);
        if (tokens) {
            builder.inputShape("input_ids", 1, SEQUENCE).inputShape("attention_mask", 1, SEQUENCE)
                    .inputShape("token_type_ids", 1, SEQUENCE);
        }
        WeightSvdCompressor compressor = builder.build();
        try (CompressionResult result = compressor.compress(model)) {
            System.out.printf(Locale.ROOT, "ratio %.2f on %s: MAC ratio %.4f, memory ratio %.4f, %d layers split%n",
                    ratio, model.description(), result.stats().macRatio(), result.stats().memoryRatio(),
                    result.stats().compressedLayerCount());
            ByteBuffer bytes = result.toDirectByteBuffer();
            // the session reads the buffer after the result is closed: keep a copy of our own
            return ByteBuffer.allocateDirect(bytes.remaining()).put(bytes.duplicate()).flip();
        }
    }

    /**
     * Compresses the CNN in auto mode to MAC target {@code target}, scored by top-1 accuracy on the bundled test slice,
     * with one compute thread, and prints what it reached.
     */
    static ByteBuffer compressAuto(ModelSource model, double target) throws Exception {
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.fashionMnistTestSlice().build();
             CompressionResult result = WeightSvdCompressor.builder().target(target).evaluator(accuracy).threads(1).build()
                     .compress(model)) {
            System.out.printf(Locale.ROOT, "auto %.2f on %s: MAC ratio %.4f, accuracy %.4f -> %.4f, ranks %s%n", target,
                    model.description(), result.stats().macRatio(), result.stats().scores().baseline().value(),
                    result.stats().scores().compressed().value(), result.stats().layers().stream()
                            .map(layer -> layer.name() + "=" + layer.outcome()).toList());
            ByteBuffer bytes = result.toDirectByteBuffer();
            return ByteBuffer.allocateDirect(bytes.remaining()).put(bytes.duplicate()).flip();
        }
    }

    /** Makes the inputs once for a session. */
    @FunctionalInterface
    interface Inputs {
        Map<String, OnnxTensor> create(OrtEnvironment env) throws OrtException;
    }

    /** One ONNX Runtime session and its fixed inputs, alive for a trial. */
    static final class InferenceSession implements AutoCloseable {
        private final OrtSession.SessionOptions options;
        private final OrtSession session;
        private final Map<String, OnnxTensor> inputs;

        InferenceSession(ByteBuffer model, int intraOpThreads, Inputs inputs) throws OrtException {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session = env.createSession(model, options);
            this.inputs = inputs.create(env);
        }

        void run() throws OrtException {
            try (OrtSession.Result result = session.run(inputs)) {
                if (result.size() == 0) {
                    throw new IllegalStateException("the session returned no outputs");
                }
            }
        }

        @Override
        public void close() throws OrtException {
            for (OnnxTensor tensor : inputs.values()) {
                tensor.close();
            }
            session.close();
            options.close();
        }
    }
}
