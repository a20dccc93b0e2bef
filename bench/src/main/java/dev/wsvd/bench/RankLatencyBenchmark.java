package dev.wsvd.bench;

import ai.onnxruntime.OnnxTensor;
import dev.wsvd.CompressionResult;
import dev.wsvd.CompressionStats.LayerOutcome;
import dev.wsvd.ModelSource;
import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.NodeProto;
import dev.wsvd.onnx.proto.Onnx.OperatorSetIdProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorShapeProto;
import dev.wsvd.onnx.proto.Onnx.TypeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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
 * Which ranks ONNX Runtime runs fast: a split layer's time as a function of its rank, for the two kinds of layer the
 * bundled models split. The cost model says time grows linearly with the rank; the runtime's kernels work on blocks
 * of columns (MLAS's AVX2 SGEMM packs 16 at a time, its convolutions go through im2col and the same SGEMM), so a rank
 * just past a block boundary can cost as much as the next boundary, and odd ranks can cost more than larger even
 * ones. Short runs are enough to see the steps.
 *
 * <ul>
 *   <li>{@code conv2}: the Fashion-MNIST CNN with only conv2 (64 x 32 x 5 x 5 at 14 x 14) split at the given rank
 *       by wsvd (manual ratio chosen to land on that rank; the fork prints the rank it got), batch 32; {@code 0}
 *       is the original model. conv2 is most of the CNN's time.</li>
 *   <li>{@code matMulPair}: {@code x · A · B}, the two MatMuls a split MiniLM weight becomes, for MiniLM's three
 *       weight shapes (in x out: 384x384 attention, 384x1536 and 1536x384 feed-forward), at batch x 128 token rows;
 *       rank {@code 0} is the unsplit {@code x · W}. Random weights; the time does not depend on the values.</li>
 * </ul>
 * Sessions use optimization level ALL, sequential execution and {@code intraOpThreads} threads, as
 * {@link ModelLatencyBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class RankLatencyBenchmark {
    private static final String FASHION_CNN = "/dev/wsvd/models/fashion-mnist/fashion-mnist-cnn.onnx";
    /** conv2's cost per rank and unsplit, in weights (MACs are these times 14 x 14): r (32 + 64·25) and 32·64·25. */
    private static final int CONV2_PER_RANK = 32 + 64 * 25;
    private static final int CONV2_ORIGINAL = 32 * 64 * 25;

    /** The CNN with conv2 at one rank. */
    @State(Scope.Benchmark)
    public static class Conv2 {
        /** 0: the original model. */
        @Param({"0", "12", "14", "15", "16", "18", "20", "21", "22", "24", "25", "28", "30"})
        public int rank;

        @Param({"32"})
        public int batch;

        @Param({"1", "2"})
        public int intraOpThreads;

        ModelLatencyBenchmark.InferenceSession inference;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            ModelSource original = ModelSource.fromResource(FASHION_CNN);
            ByteBuffer model = rank == 0 ? ((ModelSource.InMemory) original).bytes() : conv2AtRank(original, rank);
            inference = new ModelLatencyBenchmark.InferenceSession(model, intraOpThreads, env -> {
                float[] pixels = new float[batch * 28 * 28];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (i * 37 % 256) / 255f;
                }
                return Map.of("input", OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[]{batch, 1, 28, 28}));
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            inference.close();
        }
    }

    /** x · A · B at one rank, or x · W. */
    @State(Scope.Benchmark)
    public static class MatMulPair {
        /** in x out of the weight. */
        @Param({"384x384", "384x1536", "1536x384"})
        public String shape;

        /** 0: the unsplit weight. */
        @Param({"0", "64", "95", "96", "100", "104", "112", "127", "128", "153", "160"})
        public int rank;

        @Param({"1", "32"})
        public int batch;

        @Param({"1", "2"})
        public int intraOpThreads;

        ModelLatencyBenchmark.InferenceSession inference;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            String[] dims = shape.split("x");
            int in = Integer.parseInt(dims[0]);
            int out = Integer.parseInt(dims[1]);
            int rows = batch * 128;
            ByteBuffer model = matMulModel(in, out, rank);
            inference = new ModelLatencyBenchmark.InferenceSession(model, intraOpThreads, env -> {
                float[] x = new float[rows * in];
                Random random = new Random(7);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                return Map.of("x", OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{rows, in}));
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            inference.close();
        }
    }

    @Benchmark
    public void conv2(Conv2 state) throws Exception {
        state.inference.run();
    }

    @Benchmark
    public void matMulPair(MatMulPair state) throws Exception {
        state.inference.run();
    }

    /** The CNN with conv2 split at {@code rank}: the ratio of {@code rank + 0.5} ranks maps down to {@code rank}. */
    static ByteBuffer conv2AtRank(ModelSource original, int rank) throws Exception {
        double ratio = (rank + 0.5) * CONV2_PER_RANK / CONV2_ORIGINAL;
        try (CompressionResult result = WeightSvdCompressor.builder().layerRatio("/conv2/Conv", ratio).threads(1).build()
                .compress(original)) {
            LayerOutcome outcome = result.stats().layer("/conv2/Conv").outcome();
            if (!(outcome instanceof LayerOutcome.Compressed split) || split.rank() != rank) {
                throw new IllegalStateException("conv2 at ratio " + ratio + " gave " + outcome + ", not rank " + rank);
            }
            System.out.printf(Locale.ROOT, "conv2 at rank %d (ratio %.4f), model MAC ratio %.4f%n", rank, ratio,
                    result.stats().macRatio());
            ByteBuffer bytes = result.toDirectByteBuffer();
            return ByteBuffer.allocateDirect(bytes.remaining()).put(bytes.duplicate()).flip();
        }
    }

    /** {@code x (rows x in) · A (in x rank) · B (rank x out)}, or {@code x · W} for rank 0, as an ONNX model. */
    static ByteBuffer matMulModel(int in, int out, int rank) {
        Random random = new Random(11);
        GraphProto.Builder graph = GraphProto.newBuilder().setName("pair")
                .addInput(value("x", "rows", in)).addOutput(value("y", "rows", out));
        if (rank == 0) {
            graph.addInitializer(weight("W", in, out, random)).addNode(matMul("mm", "x", "W", "y"));
        } else {
            graph.addInitializer(weight("A", in, rank, random)).addInitializer(weight("B", rank, out, random))
                    .addNode(matMul("mm0", "x", "A", "h")).addNode(matMul("mm1", "h", "B", "y"));
        }
        byte[] bytes = ModelProto.newBuilder().setIrVersion(8).setProducerName("wsvd-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph).build().toByteArray();
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static NodeProto matMul(String name, String a, String b, String y) {
        return NodeProto.newBuilder().setName(name).setOpType("MatMul").addInput(a).addInput(b).addOutput(y).build();
    }

    private static TensorProto weight(String name, int rows, int columns, Random random) {
        ByteBuffer raw = ByteBuffer.allocate(rows * columns * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * columns; i++) {
            raw.putFloat((float) (random.nextGaussian() / Math.sqrt(rows)));
        }
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(rows)
                .addDims(columns).setRawData(com.google.protobuf.ByteString.copyFrom(raw.array())).build();
    }

    private static ValueInfoProto value(String name, String rows, int columns) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(rows))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns))))).build();
    }
}
