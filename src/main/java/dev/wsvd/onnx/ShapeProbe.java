package dev.wsvd.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto.DataType;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Measures the shapes of intermediate values by running the model once in ONNX Runtime: a copy of the graph
 * lists the wanted values as extra outputs and is fed zeros of the given input shapes. Zeros are enough:
 * the shapes of the layers wsvd splits do not depend on input values.
 */
final class ShapeProbe {
    private ShapeProbe() {
    }

    /**
     * The shapes of {@code values} (outputs of main-graph nodes) when the inputs have {@code inputDims}.
     *
     * @throws OnnxFormatException if ONNX Runtime cannot load or run the model
     */
    static Map<String, long[]> measure(OnnxModel model, Collection<String> values, ModelInputs inputs,
                                       Map<String, long[]> inputDims) throws OnnxFormatException {
        ModelProto skeleton = model.skeleton();
        GraphProto.Builder graph = skeleton.getGraph().toBuilder();
        Set<String> outputs = new LinkedHashSet<>();
        graph.getOutputList().forEach(output -> outputs.add(output.getName()));
        Set<String> wanted = new LinkedHashSet<>(values);
        for (String value : wanted) {
            if (outputs.add(value)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(value));
            }
        }
        ModelProto probe = skeleton.toBuilder().setGraph(graph).build();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Path temporaryFolder = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OnnxModel copy = model.derive(probe, Payloads.derivedFrom(model.payloads()))) {
                OrtSession session;
                if (copy.inlineSize() <= OnnxModel.PROTOBUF_LIMIT - 8) {
                    session = environment.createSession(copy.toDirectByteBuffer(), options);
                } else {
                    // too large for one message: let ONNX Runtime map external data from a temporary folder
                    temporaryFolder = Files.createTempDirectory("wsvd-probe");
                    Path file = temporaryFolder.resolve("probe.onnx");
                    copy.write(file, ExternalDataMode.EXTERNAL);
                    session = environment.createSession(file.toString(), options);
                }
                try (session) {
                    return run(environment, session, wanted, inputs, inputDims);
                }
            }
        } catch (OrtException e) {
            throw new OnnxFormatException(model.label() + ": ONNX Runtime could not run the model to measure layer output sizes"
                    + " (with inputs " + describe(inputDims) + "): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OnnxFormatException(model.label() + ": could not prepare the model for ONNX Runtime: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporaryFolder);
        }
    }

    private static Map<String, long[]> run(OrtEnvironment environment, OrtSession session, Set<String> wanted,
                                           ModelInputs inputs, Map<String, long[]> inputDims) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (ModelInputs.Input input : inputs.all()) {
                feeds.put(input.name(), zeros(environment, input, inputDims.get(input.name())));
            }
            Map<String, long[]> shapes = new HashMap<>();
            try (OrtSession.Result result = session.run(feeds, wanted)) {
                for (String name : wanted) {
                    OnnxValue value = result.get(name).orElse(null);
                    if (value instanceof OnnxTensor tensor) {
                        shapes.put(name, tensor.getInfo().getShape());
                    }
                }
            }
            return shapes;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor zeros(OrtEnvironment environment, ModelInputs.Input input, long[] dims) throws OrtException {
        int count = Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact));
        DataType type = DataType.forNumber(input.elementType());
        if (type == DataType.STRING) {
            String[] empty = new String[count];
            Arrays.fill(empty, "");
            return OnnxTensor.createTensor(environment, empty, dims);
        }
        OnnxJavaType javaType = switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case BOOL -> OnnxJavaType.BOOL;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case null, default -> throw new IllegalArgumentException("input '" + input.name() + "' has element type "
                    + ElementTypes.name(input.elementType()) + ", which wsvd cannot feed to measure output sizes");
        };
        ByteBuffer buffer = ByteBuffer.allocateDirect(count * javaType.size).order(ByteOrder.nativeOrder());
        return OnnxTensor.createTensor(environment, buffer, dims, javaType);
    }

    private static String describe(Map<String, long[]> inputDims) {
        StringBuilder text = new StringBuilder();
        inputDims.forEach((name, dims) -> text.append(text.isEmpty() ? "" : " ").append(name).append('=').append(InputShapes.format(dims)));
        return text.toString();
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
