package dev.wsvd.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Runs models in ONNX Runtime for tests: original and rewritten graphs are compared by their outputs. */
public final class Runtime {
    private Runtime() {
    }

    /** A named input: f32 values with a shape, or any ready OnnxTensor maker. */
    public interface Feed {
        OnnxTensor create(OrtEnvironment environment) throws OrtException;

        static Feed floats(float[] values, long... shape) {
            return environment -> OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape);
        }

        static Feed longs(long[] values, long... shape) {
            return environment -> OnnxTensor.createTensor(environment, java.nio.LongBuffer.wrap(values), shape);
        }

        static Feed bool(boolean value) {
            return environment -> OnnxTensor.createTensor(environment, new boolean[] {value}[0]);
        }
    }

    /** Every output of the model as a flat float array, keyed by name. */
    public static Map<String, float[]> run(OnnxModel model, Map<String, Feed> feeds) throws OrtException {
        return run((environment, options) -> environment.createSession(model.toDirectByteBuffer(), options), feeds);
    }

    /** Every output of the model file as ONNX Runtime loads it from disk (external data included), keyed by name. */
    public static Map<String, float[]> run(java.nio.file.Path file, Map<String, Feed> feeds) throws OrtException {
        return run((environment, options) -> environment.createSession(file.toString(), options), feeds);
    }

    private interface SessionOpener {
        OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException;
    }

    private static Map<String, float[]> run(SessionOpener opener, Map<String, Feed> feeds) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = opener.open(environment, options)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                try {
                    for (var feed : feeds.entrySet()) {
                        inputs.put(feed.getKey(), feed.getValue().create(environment));
                    }
                    Map<String, float[]> outputs = new TreeMap<>();
                    try (OrtSession.Result result = session.run(inputs)) {
                        for (Map.Entry<String, OnnxValue> output : result) {
                            OnnxTensor tensor = (OnnxTensor) output.getValue();
                            FloatBuffer values = tensor.getFloatBuffer();
                            float[] copy = new float[values.remaining()];
                            values.get(copy);
                            outputs.put(output.getKey(), copy);
                        }
                    }
                    return outputs;
                } finally {
                    inputs.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    /**
     * The largest absolute difference over the largest absolute reference value: a relative error that does not
     * blow up at outputs near zero.
     */
    public static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("outputs differ in length: " + actual.length + " vs " + expected.length);
        }
        double maxDifference = 0;
        double maxValue = 0;
        for (int i = 0; i < actual.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(actual[i] - expected[i]));
            maxValue = Math.max(maxValue, Math.abs(expected[i]));
        }
        return maxValue == 0 ? maxDifference : maxDifference / maxValue;
    }
}
