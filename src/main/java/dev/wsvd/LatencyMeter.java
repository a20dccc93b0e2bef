package dev.wsvd;

import dev.wsvd.CompressionStats.LatencyStats;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.runtime.Feed;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.SessionSettings;
import dev.wsvd.runtime.ValueInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Times inference passes of a model for {@link LatencyStats}: {@value #WARM_UP_PASSES} warm-up passes (the first
 * run of a session allocates its buffers and, for some kernels, packs weights), then timed passes until there are at
 * least {@value #MIN_RUNS} and at least {@value #MIN_MILLIS} ms were spent, so that the median and the 95th
 * percentile rest on enough samples; at most {@value #MAX_RUNS} passes or {@value #MAX_MILLIS} ms, whichever comes
 * first after the minimum, so a slow model does not stall the run.
 */
final class LatencyMeter {
    static final int WARM_UP_PASSES = 3;
    static final int MIN_RUNS = 20;
    static final long MIN_MILLIS = 1_000;
    static final int MAX_RUNS = 1_000;
    static final long MAX_MILLIS = 15_000;

    /** One inference pass: what is timed. */
    @FunctionalInterface
    interface Pass {
        void run() throws SessionException;
    }

    private LatencyMeter() {
    }

    /** Warms up, then times passes until {@link #enough}. */
    static Latency measure(Pass pass) throws SessionException {
        for (int i = 0; i < WARM_UP_PASSES; i++) {
            pass.run();
        }
        List<Long> times = new ArrayList<>();
        long started = System.nanoTime();
        do {
            long start = System.nanoTime();
            pass.run();
            times.add(System.nanoTime() - start);
        } while (!enough(times.size(), System.nanoTime() - started));
        return Latency.of(times.stream().mapToLong(Long::longValue).toArray());
    }

    /** Whether {@code runs} timed passes taking {@code elapsedNanos} in all are enough (see the class comment). */
    static boolean enough(int runs, long elapsedNanos) {
        long elapsedMillis = elapsedNanos / 1_000_000;
        if (runs >= MAX_RUNS || (runs >= MIN_RUNS && elapsedMillis >= MAX_MILLIS)) {
            return true;
        }
        return runs >= MIN_RUNS && elapsedMillis >= MIN_MILLIS;
    }

    /** A latency and what one pass computed, for the report. */
    record Timed(Latency latency, String workload) {
    }

    /**
     * The latency of {@code model} on inputs of zeros: the shapes given in {@code shapes}, else the declared ones with
     * every symbolic dimension 1. For runs without a built-in evaluator, whose inputs wsvd cannot see.
     *
     * @throws SessionException if ONNX Runtime cannot open or run the model, or cannot make an input of its type
     */
    static Timed onZeros(ModelSource model, InputShapes shapes, int threads) throws SessionException {
        Map<String, Feed> feeds = new LinkedHashMap<>();
        try (ModelSession session = ModelSession.open(EvaluationSessions.sessionModel(model), SessionSettings.DEFAULT, threads)) {
            StringJoiner workload = new StringJoiner(" ", "one run on zeros of ", "");
            for (ValueInfo input : session.inputs().values()) {
                long[] dims = zeroShape(input, shapes);
                workload.add(input.name() + "=" + String.join("x", Arrays.stream(dims).mapToObj(Long::toString).toList()));
                try {
                    feeds.put(input.name(), Feed.zeros(input.elementType(), dims));
                } catch (IllegalArgumentException e) {
                    throw new SessionException("cannot time " + model.description() + ": input " + input.name() + " is of type "
                            + input.elementType() + ", which wsvd cannot feed; give an evaluator that feeds it", e);
                }
            }
            var outputs = session.outputs().keySet();
            return new Timed(measure(() -> session.outputShapes(feeds, outputs)), workload.toString());
        } finally {
            feeds.values().forEach(Feed::close);
        }
    }

    private static long[] zeroShape(ValueInfo input, InputShapes shapes) {
        long[] given = shapes.get(input.name());
        if (given != null) {
            return given;
        }
        return Arrays.stream(input.shape()).map(dim -> dim < 0 ? 1 : dim).toArray();
    }
}
