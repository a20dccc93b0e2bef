package dev.wsvd.report;

import dev.wsvd.CostMetric;

import dev.wsvd.CompressionMode;
import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.CostTotals;
import dev.wsvd.CompressionStats.ErrorProfile;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.Latency;
import dev.wsvd.CompressionStats.LatencyStats;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.PhaseTimes;
import dev.wsvd.CompressionStats.RunEnvironment;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.CompressionStats.TargetOutcome;
import dev.wsvd.tensor.Shape;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Hand-made statistics for the renderer tests: the Fashion-MNIST CNN (two convs, two fully connected layers) in
 * the reference's two API examples, and all-MiniLM-L6-v2's 36 MatMul layers in auto mode. Costs follow the
 * reference's cost model (memory r(m + nk), MACs r(ms + nk)·Hout·Wout) and are worked out in the comments;
 * scores and spectra are invented but plausible.
 */
public final class SampleStats {
    private SampleStats() {
    }

    static final RunEnvironment ENVIRONMENT = new RunEnvironment("0.1.0", "Eclipse Adoptium 25+36-LTS", "Linux amd64", 2,
            "Panama 256-bit", 2, 2);

    /** Candidate ratios i/10, i = 1..9, as exact decimals. */
    static final double[] CANDIDATES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    // Fashion-MNIST CNN: conv1 1->32 5x5 pad 2 on 28x28; conv2 32->64 5x5 pad 2 on 14x14; fc1 3136->1024; fc2 1024->10.
    static final long CONV1_PARAMS = 32 * 1 * 5 * 5;              // 800
    static final long CONV1_MACS = CONV1_PARAMS * 28 * 28;        // 627,200
    static final long CONV2_PARAMS = 64 * 32 * 5 * 5;             // 51,200
    static final long CONV2_MACS = CONV2_PARAMS * 14 * 14;        // 10,035,200
    static final long FC1_PARAMS = 1024L * 3136;                  // 3,211,264
    static final long FC2_PARAMS = 10 * 1024;                     // 10,240

    static final double CNN_BASELINE = 0.9134;
    static final double CNN_COMPRESSED = 0.9071;
    static final double CNN_THRESHOLD = 0.9110;

    /** conv2's candidate scores: falls off quickly below 0.4. */
    static final double[] CONV2_SCORES = {0.6120, 0.8011, 0.8702, 0.8955, 0.9051, 0.9098, 0.9120, 0.9131, 0.9135};
    /** fc1's: barely moves (a large, redundant layer). */
    static final double[] FC1_SCORES = {0.9072, 0.9118, 0.9127, 0.9129, 0.9131, 0.9133, 0.9134, 0.9134, 0.9134};
    /** fc2's: the classifier, sensitive. */
    static final double[] FC2_SCORES = {0.2313, 0.5120, 0.7406, 0.8420, 0.8850, 0.9012, 0.9090, 0.9121, 0.9130};

    /**
     * The reference's auto example on the CNN: MAC metric, 10 candidates, conv1 ignored, threshold 0.9110.
     * conv2 at 0.7: r = floor(0.7·32·1600/1632) = 21, 21·1632 = 34,272 weights, ·196 = 6,717,312 MACs.
     * fc1 at 0.2: r = floor(0.2·3136·1024/4160) = 154, 154·4160 = 640,640. fc2 at 0.8: r = floor(0.8·10240/1034) = 7, 7,238.
     * MACs 13,883,904 -> 7,992,390 (0.5757), so a 0.58 target ends at the closest reachable point.
     */
    public static CompressionStats cnnAuto() {
        return CompressionStats.builder(CompressionMode.AUTO, CostMetric.MAC)
                .scores(CNN_BASELINE, CNN_COMPRESSED)
                .target(new TargetOutcome(0.58, 7_992_390.0 / 13_883_904.0, 0.001, CNN_THRESHOLD))
                .layer(LayerStats.builder("conv1").op("Conv").weightShape(32, 1, 5, 5).maxRank(1)
                        .costBefore(CONV1_PARAMS, CONV1_MACS).kept(SkipReason.IGNORED, "modules to ignore").build())
                .layer(LayerStats.builder("conv2").op("Conv").weightShape(64, 32, 5, 5).maxRank(32)
                        .costBefore(CONV2_PARAMS, CONV2_MACS).compressed(21, 0.7, relativeError(32, 0.9, 21), 34_272, 6_717_312).build())
                .layer(LayerStats.builder("fc1").op("Gemm").weightShape(1024, 3136).maxRank(1024)
                        .costBefore(FC1_PARAMS, FC1_PARAMS).compressed(154, 0.2, relativeError(1024, 0.5, 154), 640_640, 640_640).build())
                .layer(LayerStats.builder("fc2").op("Gemm").weightShape(10, 1024).maxRank(10)
                        .costBefore(FC2_PARAMS, FC2_PARAMS).compressed(7, 0.8, relativeError(10, 1.2, 7), 7_238, 7_238).build())
                .evalDictionary(cnnEvalDictionary())
                .errorProfile(profile("conv2", 32, 0.9, 32 + 64 * 25, 196))
                .errorProfile(profile("fc1", 1024, 0.5, 3136 + 1024, 1))
                .errorProfile(profile("fc2", 10, 1.2, 1024 + 10, 1))
                .timings(PhaseTimes.builder().svd(Duration.ofMillis(412)).rewriting(Duration.ofMillis(655))
                        .evaluation(Duration.ofMillis(23_871)).selection(Duration.ofMillis(24_310)).writing(Duration.ofMillis(38))
                        .total(Duration.ofMillis(25_402)).build())
                .environment(ENVIRONMENT)
                .inputModel(new ModelFile("src/main/resources/fmnist/fmnist-cnn.onnx", 13_197_812))
                .outputModel(new ModelFile("out/fmnist-cnn-wsvd.onnx", 2_762_533))
                .latency(new LatencyStats(new Latency(4.12, 4.61, 243), new Latency(2.25, 2.57, 445), 1,
                        "1,000 samples in batches of up to 128 (the evaluator's inputs)"))
                .build();
    }

    static EvalDictionary cnnEvalDictionary() {
        Map<String, Map<Double, Double>> measured = new LinkedHashMap<>();
        measured.put("conv2", curve(CONV2_SCORES));
        measured.put("fc1", curve(FC1_SCORES));
        measured.put("fc2", curve(FC2_SCORES));
        return EvalDictionary.of(CNN_BASELINE, measured);
    }

    /**
     * The reference's manual example on the CNN: conv1 0.5, conv2 0.4, multiplicity 8, no evaluator, MAC metric.
     * conv1 (Cin = 1) has max rank 1, and rank 1 costs 1·(1 + 800) = 801 > 800 weights: no saving. conv2 at 0.4:
     * r = floor(0.4·32·1600/1632) = 12, rounded up to 16; 16·1632 = 26,112 weights, ratio 26,112/51,200 = 0.51.
     */
    public static CompressionStats cnnManual() {
        return CompressionStats.builder(CompressionMode.MANUAL, CostMetric.MAC)
                .layer(LayerStats.builder("conv1").op("Conv").weightShape(32, 1, 5, 5).maxRank(1)
                        .costBefore(CONV1_PARAMS, CONV1_MACS).kept(SkipReason.NO_SAVING, "rank 1 needs 801 weights, the layer has 800").build())
                .layer(LayerStats.builder("conv2").op("Conv").weightShape(64, 32, 5, 5).maxRank(32)
                        .costBefore(CONV2_PARAMS, CONV2_MACS).compressed(16, 0.51, relativeError(32, 0.9, 16), 26_112, 26_112 * 196).build())
                .layer(LayerStats.builder("fc1").op("Gemm").weightShape(1024, 3136).maxRank(1024)
                        .costBefore(FC1_PARAMS, FC1_PARAMS).kept(SkipReason.NO_RATIO_GIVEN, null).build())
                .layer(LayerStats.builder("fc2").op("Gemm").weightShape(10, 1024).maxRank(10)
                        .costBefore(FC2_PARAMS, FC2_PARAMS).kept(SkipReason.NO_RATIO_GIVEN, null).build())
                .timings(PhaseTimes.builder().svd(Duration.ofNanos(48_123_456)).rewriting(Duration.ofNanos(3_400_001))
                        .writing(Duration.ofMillis(21)).build())
                .environment(ENVIRONMENT)
                .inputModel(new ModelFile("fmnist-cnn.onnx", 13_197_812))
                .build();
    }

    /** The 36 MatMul layers of all-MiniLM-L6-v2, in graph order. */
    public static List<String> miniLmLayerNames() {
        String[] parts = {"attention/self/query", "attention/self/key", "attention/self/value", "attention/output/dense",
                "intermediate/dense", "output/dense"};
        List<String> names = new java.util.ArrayList<>();
        for (int layer = 0; layer < 6; layer++) {
            for (String part : parts) {
                names.add("/encoder/layer." + layer + "/" + part + "/MatMul");
            }
        }
        return names;
    }

    static final int SEQUENCE_LENGTH = 128;
    static final double MINILM_THRESHOLD = 0.995;

    /**
     * all-MiniLM-L6-v2 in auto mode with the embedding evaluator (mean cosine to the original model, so the
     * baseline is 1): MAC metric at 128 tokens, 10 candidates. Each layer's score at ratio c is
     * 1 - sensitivity·(1 - c)², sensitivity growing with depth and from query to output; per layer the chosen
     * ratio is the reference's rule for the threshold 0.995. Layers whose score is below it even at 0.9 are
     * not selected.
     */
    public static CompressionStats miniLmAuto() {
        CompressionStats.Builder builder = CompressionStats.builder(CompressionMode.AUTO, CostMetric.MAC);
        Map<String, Map<Double, Double>> measured = new LinkedHashMap<>();
        List<LayerStats> rows = new java.util.ArrayList<>();
        List<String> names = miniLmLayerNames();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int depth = i / 6;
            int part = i % 6;
            int in = part == 5 ? 1536 : 384;
            int out = part == 4 ? 1536 : 384;
            int maxRank = Math.min(in, out);
            double sensitivity = 0.004 * (1 + part) * (1 + depth) * (part == 5 && depth == 5 ? 4 : 1);
            NavigableMap<Double, Double> scores = new TreeMap<>();
            for (double c : CANDIDATES) {
                scores.put(c, 1 - sensitivity * (1 - c) * (1 - c));
            }
            measured.put(name, scores);
            double alpha = 0.3 + 0.05 * part;
            LayerStats.Builder row = LayerStats.builder(name).op("MatMul").weightShape(in, out).maxRank(maxRank)
                    .costBefore((long) in * out, (long) in * out * SEQUENCE_LENGTH);
            Double chosen = chooseRatio(scores, MINILM_THRESHOLD);
            if (chosen == null) {
                row.kept(SkipReason.NOT_SELECTED, null);
            } else {
                int rank = (int) Math.floor(chosen * in * out / (in + out));
                long params = (long) rank * (in + out);
                row.compressed(rank, chosen, relativeError(maxRank, alpha, rank), params, params * SEQUENCE_LENGTH);
            }
            rows.add(row.build());
            builder.errorProfile(profile(name, maxRank, alpha, in + out, SEQUENCE_LENGTH));
        }
        double achieved = CostTotals.sumOf(rows).macRatio();
        return builder.layers(rows)
                .evalDictionary(EvalDictionary.of(1.0, measured))
                .scores(1.0, 0.9712)
                .target(TargetOutcome.of(Math.round(achieved * 1000) / 1000.0, achieved, MINILM_THRESHOLD))
                .timings(PhaseTimes.builder().svd(Duration.ofMillis(1_870)).rewriting(Duration.ofMillis(4_210))
                        .evaluation(Duration.ofSeconds(301)).selection(Duration.ofSeconds(305)).writing(Duration.ofMillis(640))
                        .total(Duration.ofSeconds(309)).build())
                .environment(ENVIRONMENT)
                .inputModel(new ModelFile("classpath:all-minilm-l6-v2.onnx", 90_405_214))
                .outputModel(new ModelFile("out/all-minilm-l6-v2-wsvd.onnx", 61_002_113))
                .build();
    }

    /** The reference's per-layer rule: least compression first; null when even the highest ratio scores below t. */
    static Double chooseRatio(NavigableMap<Double, Double> scores, double threshold) {
        Double previous = null;
        for (Map.Entry<Double, Double> entry : scores.descendingMap().entrySet()) {
            if (entry.getValue() < threshold) {
                return previous;
            }
            previous = entry.getKey();
        }
        return previous;
    }

    /** Relative Frobenius error at {@code rank} of a matrix with singular values i^-alpha, i = 1..maxRank. */
    static double relativeError(int maxRank, double alpha, int rank) {
        double total = 0, tail = 0;
        for (int i = 1; i <= maxRank; i++) {
            double s = Math.pow(i, -alpha);
            total += s * s;
            if (i > rank) {
                tail += s * s;
            }
        }
        return Math.sqrt(tail / total);
    }

    /** An error profile for that spectrum; a split pair at rank r costs r·perRank weights and r·perRank·macFactor MACs. */
    static ErrorProfile profile(String layer, int maxRank, double alpha, long perRank, long macFactor) {
        double[] errors = new double[maxRank];
        long[] params = new long[maxRank];
        long[] macs = new long[maxRank];
        for (int r = 1; r <= maxRank; r++) {
            errors[r - 1] = relativeError(maxRank, alpha, r);
            params[r - 1] = r * perRank;
            macs[r - 1] = r * perRank * macFactor;
        }
        return new ErrorProfile(layer, errors, params, macs);
    }

    private static Map<Double, Double> curve(double[] scores) {
        Map<Double, Double> curve = new TreeMap<>();
        for (int i = 0; i < scores.length; i++) {
            curve.put(CANDIDATES[i], scores[i]);
        }
        return curve;
    }
}
