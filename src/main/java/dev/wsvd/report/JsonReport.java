package dev.wsvd.report;

import dev.wsvd.CostMetric;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsvd.CompressionMode;
import dev.wsvd.CompressionStats;
import dev.wsvd.CostTotals;
import dev.wsvd.ErrorProfile;
import dev.wsvd.EvalDictionary;
import dev.wsvd.LayerOutcome;
import dev.wsvd.LayerStats;
import dev.wsvd.ModelFile;
import dev.wsvd.PhaseTimes;
import dev.wsvd.RunEnvironment;
import dev.wsvd.Scores;
import dev.wsvd.SkipReason;
import dev.wsvd.TargetOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@link CompressionStats} as JSON and back. The layout (format {@value #FORMAT}, version
 * {@value #FORMAT_VERSION}) uses snake_case names that stay stable; numbers are JSON numbers; durations are
 * milliseconds (decimal, exact to the nanosecond); absent things are {@code null}, never missing keys.
 *
 * <pre>
 * format, format_version       "wsvd-compression-report", 1
 * mode                         "manual" | "auto"
 * cost_metric                  "mac" | "memory"
 * scores                       {baseline, compressed, change} | null (no evaluator)
 * cost                         {memory_before, memory_after, macs_before, macs_after, memory_ratio, mac_ratio}
 * target                       {ratio, achieved, tolerance, reached, score_threshold} | null (manual mode)
 * layers[]                     {name, op, weight_shape[], max_rank, compressed, rank, ratio, relative_error,
 *                               params_before, params_after, macs_before, macs_after, skip_reason, skip_detail}
 *                              rank, ratio, relative_error are null and skip_reason is set (an id such as
 *                              "no_saving") when compressed is false; skip_detail may be null
 * eval_dictionary                  {baseline_score, monotonic_fit, layers[]: {name, measured[]: {ratio, score},
 *                               fitted[] | null}} | null (manual mode)
 * error_profiles[]             {layer, relative_error[], params[], macs[]} (index i is rank i + 1)
 * timings_ms                   {svd, rewriting, evaluation, selection, writing, total}
 * environment                  {wsvd_version, jdk, os, available_processors, simd_implementation, blas_threads,
 *                               evaluation_parallelism}
 * input_model, output_model    {location | null, size_bytes}; output_model is null when not serialised
 * </pre>
 *
 * Derived values ({@code scores.change}, the cost ratios, {@code target.reached}, after-costs of kept layers,
 * {@code monotonic_fit}) are written for readers' convenience and recomputed, not read, when parsing. Unknown
 * fields are ignored when reading, so later minor additions stay readable.
 */
public final class JsonReport {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "wsvd-compression-report";
    /** The layout version this class writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000);

    private JsonReport() {
    }

    /** The statistics as pretty-printed JSON. */
    public static String toJson(CompressionStats stats) {
        try {
            return MAPPER.writeValueAsString(toTree(stats)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise compression statistics to JSON", e);
        }
    }

    /** The statistics as a JSON tree (the same layout as {@link #toJson}). */
    static ObjectNode toTree(CompressionStats stats) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("mode", stats.mode().name().toLowerCase(Locale.ROOT));
        root.put("cost_metric", stats.costMetric().name().toLowerCase(Locale.ROOT));
        Scores scores = stats.scores();
        if (scores == null) {
            root.putNull("scores");
        } else {
            ObjectNode node = root.putObject("scores");
            node.put("baseline", scores.baseline().value());
            node.put("compressed", scores.compressed().value());
            node.put("change", scores.change());
            ObjectNode baselineMeasures = node.putObject("baseline_measures");
            scores.baseline().measures().forEach(baselineMeasures::put);
            ObjectNode compressedMeasures = node.putObject("compressed_measures");
            scores.compressed().measures().forEach(compressedMeasures::put);
        }
        CostTotals cost = stats.cost();
        ObjectNode costNode = root.putObject("cost");
        costNode.put("memory_before", cost.memoryBefore());
        costNode.put("memory_after", cost.memoryAfter());
        costNode.put("macs_before", cost.macsBefore());
        costNode.put("macs_after", cost.macsAfter());
        costNode.put("memory_ratio", cost.memoryRatio());
        costNode.put("mac_ratio", cost.macRatio());
        TargetOutcome target = stats.target();
        if (target == null) {
            root.putNull("target");
        } else {
            ObjectNode node = root.putObject("target");
            node.put("ratio", target.target());
            node.put("achieved", target.achieved());
            node.put("tolerance", target.tolerance());
            node.put("reached", target.reached());
            node.put("score_threshold", target.scoreThreshold());
        }
        ArrayNode layers = root.putArray("layers");
        for (LayerStats layer : stats.layers()) {
            layers.add(layerNode(layer));
        }
        EvalDictionary eval = stats.evalDictionary();
        if (eval == null) {
            root.putNull("eval_dictionary");
        } else {
            ObjectNode node = root.putObject("eval_dictionary");
            node.put("baseline_score", eval.baselineScore());
            node.put("monotonic_fit", eval.hasFit());
            ArrayNode evalLayers = node.putArray("layers");
            eval.measured().forEach((name, curve) -> {
                ObjectNode layerNode = evalLayers.addObject();
                layerNode.put("name", name);
                layerNode.set("measured", curveNode(curve));
                SortedMap<Double, Double> fitted = eval.fitted().get(name);
                layerNode.set("fitted", fitted == null ? NODES.nullNode() : curveNode(fitted));
            });
        }
        ArrayNode profiles = root.putArray("error_profiles");
        for (ErrorProfile profile : stats.errorProfiles()) {
            ObjectNode node = profiles.addObject();
            node.put("layer", profile.layer());
            ArrayNode errors = node.putArray("relative_error");
            for (double error : profile.relativeError()) {
                errors.add(error);
            }
            ArrayNode params = node.putArray("params");
            for (long value : profile.params()) {
                params.add(value);
            }
            ArrayNode macs = node.putArray("macs");
            for (long value : profile.macs()) {
                macs.add(value);
            }
        }
        PhaseTimes times = stats.timings();
        ObjectNode timings = root.putObject("timings_ms");
        timings.put("svd", millis(times.svd()));
        timings.put("rewriting", millis(times.rewriting()));
        timings.put("evaluation", millis(times.evaluation()));
        timings.put("selection", millis(times.selection()));
        timings.put("writing", millis(times.writing()));
        timings.put("total", millis(times.total()));
        RunEnvironment env = stats.environment();
        ObjectNode envNode = root.putObject("environment");
        envNode.put("wsvd_version", env.wsvdVersion());
        envNode.put("jdk", env.jdk());
        envNode.put("os", env.os());
        envNode.put("available_processors", env.availableProcessors());
        envNode.put("simd_implementation", env.simdImplementation());
        envNode.put("blas_threads", env.blasThreads());
        envNode.put("evaluation_parallelism", env.evaluationParallelism());
        root.set("input_model", modelNode(stats.inputModel()));
        root.set("output_model", stats.outputModel() == null ? NODES.nullNode() : modelNode(stats.outputModel()));
        return root;
    }

    /**
     * Parses statistics written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when the text is not JSON, not this format, of a newer format version, or a
     *                                  field is missing or invalid; the message names the field's path
     */
    public static CompressionStats fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(root);
    }

    /**
     * Reads a report.json file.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when its content is invalid; the message names the file and the field
     */
    public static CompressionStats read(Path file) throws IOException {
        String json = Files.readString(file);
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads statistics from a stream (UTF-8), which stays open. */
    public static CompressionStats read(InputStream in) throws IOException {
        return fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses statistics from a JSON tree in the layout of {@link #toTree}. */
    static CompressionStats fromTree(JsonNode root) {
        Reader r = new Reader();
        r.object(root, "");
        String format = r.text(root, "format", "");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not a wsvd compression report: format is \"" + format + "\", expected \"" + FORMAT + "\"");
        }
        int version = r.integer(root, "format_version", "");
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("report format version " + version + " is not supported; this wsvd reads versions 1 to "
                    + FORMAT_VERSION + " (a newer wsvd wrote it?)");
        }
        CompressionMode mode = r.choice(root, "mode", "", CompressionMode.class);
        CostMetric metric = r.choice(root, "cost_metric", "", CostMetric.class);
        CompressionStats.Builder builder = CompressionStats.builder(mode, metric);

        JsonNode scores = r.nullableObject(root, "scores", "");
        if (scores != null) {
            builder.scores(r.real(scores, "baseline", "scores"), r.real(scores, "compressed", "scores"));
        }
        JsonNode cost = r.object(root.get("cost"), "cost");
        builder.cost(new CostTotals(r.longValue(cost, "memory_before", "cost"), r.longValue(cost, "memory_after", "cost"),
                r.longValue(cost, "macs_before", "cost"), r.longValue(cost, "macs_after", "cost")));
        JsonNode target = r.nullableObject(root, "target", "");
        if (target != null) {
            builder.target(new TargetOutcome(r.real(target, "ratio", "target"), r.real(target, "achieved", "target"),
                    r.real(target, "tolerance", "target"), r.real(target, "score_threshold", "target")));
        }
        JsonNode layers = r.array(root, "layers", "");
        for (int i = 0; i < layers.size(); i++) {
            builder.layer(readLayer(r, layers.get(i), "layers[" + i + "]"));
        }
        JsonNode eval = r.nullableObject(root, "eval_dictionary", "");
        if (eval != null) {
            builder.evalDictionary(readEvalDictionary(r, eval));
        }
        JsonNode profiles = r.array(root, "error_profiles", "");
        for (int i = 0; i < profiles.size(); i++) {
            String path = "error_profiles[" + i + "]";
            JsonNode node = r.object(profiles.get(i), path);
            JsonNode errors = r.array(node, "relative_error", path);
            JsonNode params = r.array(node, "params", path);
            JsonNode macs = r.array(node, "macs", path);
            double[] errorValues = new double[errors.size()];
            for (int k = 0; k < errorValues.length; k++) {
                errorValues[k] = r.real(errors.get(k), path + ".relative_error[" + k + "]");
            }
            long[] paramValues = new long[params.size()];
            for (int k = 0; k < paramValues.length; k++) {
                paramValues[k] = r.longValue(params.get(k), path + ".params[" + k + "]");
            }
            long[] macValues = new long[macs.size()];
            for (int k = 0; k < macValues.length; k++) {
                macValues[k] = r.longValue(macs.get(k), path + ".macs[" + k + "]");
            }
            builder.errorProfile(r.construct(path, () -> new ErrorProfile(r.text(node, "layer", path), errorValues, paramValues, macValues)));
        }
        JsonNode timings = r.object(root.get("timings_ms"), "timings_ms");
        builder.timings(PhaseTimes.builder()
                .svd(r.duration(timings, "svd", "timings_ms"))
                .rewriting(r.duration(timings, "rewriting", "timings_ms"))
                .evaluation(r.duration(timings, "evaluation", "timings_ms"))
                .selection(r.duration(timings, "selection", "timings_ms"))
                .writing(r.duration(timings, "writing", "timings_ms"))
                .total(r.duration(timings, "total", "timings_ms"))
                .build());
        JsonNode env = r.object(root.get("environment"), "environment");
        builder.environment(r.construct("environment", () -> new RunEnvironment(r.text(env, "wsvd_version", "environment"),
                r.text(env, "jdk", "environment"), r.text(env, "os", "environment"),
                r.integer(env, "available_processors", "environment"), r.text(env, "simd_implementation", "environment"),
                r.integer(env, "blas_threads", "environment"), r.integer(env, "evaluation_parallelism", "environment"))));
        builder.inputModel(readModel(r, r.object(root.get("input_model"), "input_model"), "input_model"));
        JsonNode output = r.nullableObject(root, "output_model", "");
        if (output != null) {
            builder.outputModel(readModel(r, output, "output_model"));
        }
        return r.construct("the report", builder::build);
    }

    private static ObjectNode layerNode(LayerStats layer) {
        ObjectNode node = NODES.objectNode();
        node.put("name", layer.name());
        node.put("op", layer.op());
        ArrayNode shape = node.putArray("weight_shape");
        for (long dim : layer.weightShape()) {
            shape.add(dim);
        }
        node.put("max_rank", layer.maxRank());
        node.put("compressed", layer.isCompressed());
        switch (layer.outcome()) {
            case LayerOutcome.Compressed c -> {
                node.put("rank", c.rank());
                node.put("ratio", c.ratio());
                node.put("relative_error", c.relativeError());
            }
            case LayerOutcome.Kept kept -> {
                node.putNull("rank");
                node.putNull("ratio");
                node.putNull("relative_error");
            }
        }
        node.put("params_before", layer.paramsBefore());
        node.put("params_after", layer.paramsAfter());
        node.put("macs_before", layer.macsBefore());
        node.put("macs_after", layer.macsAfter());
        if (layer.outcome() instanceof LayerOutcome.Kept kept) {
            node.put("skip_reason", kept.reason().id());
            node.put("skip_detail", kept.detail());
        } else {
            node.putNull("skip_reason");
            node.putNull("skip_detail");
        }
        return node;
    }

    private static ArrayNode curveNode(SortedMap<Double, Double> curve) {
        ArrayNode points = NODES.arrayNode();
        curve.forEach((ratio, score) -> {
            ObjectNode point = points.addObject();
            point.put("ratio", ratio);
            point.put("score", score);
        });
        return points;
    }

    private static ObjectNode modelNode(ModelFile model) {
        ObjectNode node = NODES.objectNode();
        node.put("location", model.location());
        node.put("size_bytes", model.sizeBytes());
        return node;
    }

    private static BigDecimal millis(Duration duration) {
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(duration.getNano()));
        BigDecimal ms = new BigDecimal(nanos, 6);
        return ms.signum() == 0 ? BigDecimal.ZERO : ms.stripTrailingZeros();
    }

    private static LayerStats readLayer(Reader r, JsonNode element, String path) {
        JsonNode node = r.object(element, path);
        String name = r.text(node, "name", path);
        String layerPath = path + " (" + name + ")";
        JsonNode shapeNode = r.array(node, "weight_shape", layerPath);
        long[] dims = new long[shapeNode.size()];
        for (int k = 0; k < dims.length; k++) {
            dims[k] = r.longValue(shapeNode.get(k), layerPath + ".weight_shape[" + k + "]");
        }
        LayerStats.Builder builder = LayerStats.builder(name)
                .op(r.text(node, "op", layerPath))
                .weightShape(dims)
                .maxRank(r.integer(node, "max_rank", layerPath))
                .costBefore(r.longValue(node, "params_before", layerPath), r.longValue(node, "macs_before", layerPath));
        if (r.bool(node, "compressed", layerPath)) {
            builder.outcome(r.construct(layerPath, () -> new LayerOutcome.Compressed(r.integer(node, "rank", layerPath),
                    r.real(node, "ratio", layerPath), r.real(node, "relative_error", layerPath),
                    r.longValue(node, "params_after", layerPath), r.longValue(node, "macs_after", layerPath))));
        } else {
            String reasonId = r.text(node, "skip_reason", layerPath);
            SkipReason reason = r.construct(layerPath + ".skip_reason", () -> SkipReason.fromId(reasonId));
            builder.kept(reason, r.nullableText(node, "skip_detail", layerPath));
        }
        return r.construct(layerPath, builder::build);
    }

    private static EvalDictionary readEvalDictionary(Reader r, JsonNode eval) {
        double baseline = r.real(eval, "baseline_score", "eval_dictionary");
        JsonNode layers = r.array(eval, "layers", "eval_dictionary");
        SequencedMap<String, SortedMap<Double, Double>> measured = new LinkedHashMap<>();
        SequencedMap<String, SortedMap<Double, Double>> fitted = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            String path = "eval_dictionary.layers[" + i + "]";
            JsonNode node = r.object(layers.get(i), path);
            String name = r.text(node, "name", path);
            if (measured.put(name, readCurve(r, r.array(node, "measured", path), path + ".measured")) != null) {
                throw new IllegalArgumentException(path + ": layer " + name + " appears twice in the eval dictionary");
            }
            JsonNode fit = node.get("fitted");
            if (fit != null && !fit.isNull()) {
                fitted.put(name, readCurve(r, r.array(node, "fitted", path), path + ".fitted"));
            }
        }
        return r.construct("eval_dictionary", () -> new EvalDictionary(baseline, measured, fitted));
    }

    private static SortedMap<Double, Double> readCurve(Reader r, JsonNode points, String path) {
        SortedMap<Double, Double> curve = new TreeMap<>();
        for (int k = 0; k < points.size(); k++) {
            String pointPath = path + "[" + k + "]";
            JsonNode point = r.object(points.get(k), pointPath);
            curve.put(r.real(point, "ratio", pointPath), r.real(point, "score", pointPath));
        }
        return curve;
    }

    private static ModelFile readModel(Reader r, JsonNode node, String path) {
        return r.construct(path, () -> new ModelFile(r.nullableText(node, "location", path), r.longValue(node, "size_bytes", path)));
    }

    /** Typed field access that names the field's path in every error. */
    private static final class Reader {
        JsonNode object(JsonNode node, String path) {
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(describe(path) + ": expected an object, got " + kind(node));
            }
            return node;
        }

        JsonNode nullableObject(JsonNode parent, String field, String path) {
            JsonNode node = field(parent, field, path);
            return node.isNull() ? null : object(node, join(path, field));
        }

        JsonNode array(JsonNode parent, String field, String path) {
            JsonNode node = field(parent, field, path);
            if (!node.isArray()) {
                throw new IllegalArgumentException(join(path, field) + ": expected an array, got " + kind(node));
            }
            return node;
        }

        String text(JsonNode parent, String field, String path) {
            JsonNode node = field(parent, field, path);
            if (!node.isTextual()) {
                throw new IllegalArgumentException(join(path, field) + ": expected a string, got " + kind(node));
            }
            return node.textValue();
        }

        String nullableText(JsonNode parent, String field, String path) {
            JsonNode node = field(parent, field, path);
            return node.isNull() ? null : text(parent, field, path);
        }

        boolean bool(JsonNode parent, String field, String path) {
            JsonNode node = field(parent, field, path);
            if (!node.isBoolean()) {
                throw new IllegalArgumentException(join(path, field) + ": expected true or false, got " + kind(node));
            }
            return node.booleanValue();
        }

        double real(JsonNode parent, String field, String path) {
            return real(field(parent, field, path), join(path, field));
        }

        double real(JsonNode node, String path) {
            if (node == null || !node.isNumber()) {
                throw new IllegalArgumentException(path + ": expected a number, got " + kind(node));
            }
            return node.isBigDecimal() ? node.decimalValue().doubleValue() : node.doubleValue();
        }

        long longValue(JsonNode parent, String field, String path) {
            return longValue(field(parent, field, path), join(path, field));
        }

        long longValue(JsonNode node, String path) {
            if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new IllegalArgumentException(path + ": expected a whole number, got " + kind(node));
            }
            return node.longValue();
        }

        int integer(JsonNode parent, String field, String path) {
            JsonNode node = field(parent, field, path);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw new IllegalArgumentException(join(path, field) + ": expected a whole number, got " + kind(node));
            }
            return node.intValue();
        }

        Duration duration(JsonNode parent, String field, String path) {
            JsonNode node = field(parent, field, path);
            if (!node.isNumber()) {
                throw new IllegalArgumentException(join(path, field) + ": expected milliseconds as a number, got " + kind(node));
            }
            BigDecimal nanos = node.decimalValue().multiply(NANOS_PER_MILLI);
            try {
                return Duration.ofNanos(nanos.longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(join(path, field) + ": " + node + " ms is not a whole number of nanoseconds "
                        + "or out of range", e);
            }
        }

        <E extends Enum<E>> E choice(JsonNode parent, String field, String path, Class<E> type) {
            String value = text(parent, field, path);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return constant;
                }
            }
            List<String> known = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                known.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(join(path, field) + ": \"" + value + "\" is not one of " + known);
        }

        /** Runs a record constructor, prefixing its precondition message with the path. */
        <T> T construct(String path, java.util.function.Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (NullPointerException | IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(path)) {
                    throw e;
                }
                throw new IllegalArgumentException(describe(path) + ": " + e.getMessage(), e);
            }
        }

        private static JsonNode field(JsonNode parent, String field, String path) {
            JsonNode node = parent.get(field);
            if (node == null) {
                throw new IllegalArgumentException(join(path, field) + ": missing");
            }
            return node;
        }

        private static String join(String path, String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        private static String describe(String path) {
            return path.isEmpty() ? "the document" : path;
        }

        private static String kind(JsonNode node) {
            if (node == null || node.isMissingNode()) {
                return "nothing";
            }
            String text = node.toString();
            return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
        }
    }
}
