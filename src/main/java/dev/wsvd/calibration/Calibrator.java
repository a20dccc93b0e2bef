package dev.wsvd.calibration;

import dev.wsvd.layer.LayerGeometry;
import dev.wsvd.linalg.GramAccumulator;
import dev.wsvd.onnx.Attributes;
import dev.wsvd.onnx.LayerSite;
import dev.wsvd.onnx.OnnxLayer;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.SessionModels;
import dev.wsvd.onnx.rewrite.ExposedValues;
import dev.wsvd.runtime.ModelSession;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.SessionSettings;
import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the original model once over calibration batches and streams, for each layer to compress, the Gram
 * {@code G = Σ x·xᵀ} of its input rows (what {@link dev.wsvd.layer.LayerSvd#decompose(LayerGeometry, Tensor, Tensor,
 * Tensor)} takes):
 * <ul>
 *   <li>MatMul and Gemm: {@code x} is an input feature vector (the input's last axis; a Gemm with {@code transA}
 *       reads its input's columns). For an input of rank 3 ({@code [batch, positions, features]}) and a batch with a
 *       token mask, padding positions (mask 0) are left out.</li>
 *   <li>Conv: {@code x} is the input channel vector at every spatial position: per sample the {@code Cin x (H·W)}
 *       matrix {@code X} adds {@code X·Xᵀ}.</li>
 * </ul>
 * Layers that read the same tensor the same way (a transformer's Q, K and V) share one accumulator. Layers inside
 * If/Loop/Scan bodies cannot have their inputs exposed as graph outputs: they are returned as fallbacks with the
 * reason, and keep the plain split. Only one batch of activations is held at a time.
 */
public final class Calibrator {
    /** Reports each finished batch: its index and the samples it held. */
    @FunctionalInterface
    public interface BatchListener {
        void batchDone(int index, int samples);
    }

    /** How a layer reads its input tensor: which axis holds the vector {@code x}. */
    enum Layout {
        /** The last axis: MatMul, Gemm. */
        LAST_AXIS,
        /** A Gemm with {@code transA}: its 2-D input's columns. */
        COLUMNS,
        /** Axis 1 of {@code [N, C, spatial...]}: Conv. */
        CHANNELS
    }

    /** One accumulator's source: a tensor read one way, with rows of {@code columns} elements. */
    record InputView(String value, Layout layout, int columns) {
    }

    private Calibrator() {
    }

    /**
     * Calibrates {@code layers} of {@code model} on {@code inputs}.
     *
     * @param threads  intra-op threads for the session
     * @param listener hears each finished batch
     * @throws CalibrationException if the inputs do not fit the model, a layer input holds a non-finite value, or
     *                              ONNX Runtime fails; the message names the batch, the input or the layer
     */
    public static LayerGrams collect(OnnxModel model, List<OnnxLayer> layers, CalibrationInputs inputs, int threads,
                                     BatchListener listener) throws CalibrationException {
        long started = System.nanoTime();
        Map<String, InputView> viewByLayer = new LinkedHashMap<>();
        Map<String, String> fallbacks = new LinkedHashMap<>();
        for (OnnxLayer layer : layers) {
            if (layer.inSubgraph()) {
                fallbacks.put(layer.name(), "inside " + layer.graph() + ", whose values cannot be exposed as graph outputs;"
                        + " plain split");
                continue;
            }
            InputView view = view(model.site(layer), layer.geometry().orElseThrow());
            if (!ExposedValues.canExpose(model, view.value())) {
                fallbacks.put(layer.name(), "its input " + view.value() + " is neither computed in the main graph nor a graph"
                        + " input, so it cannot be exposed; plain split");
                continue;
            }
            viewByLayer.put(layer.name(), view);
        }
        Map<InputView, GramAccumulator> accumulators = new LinkedHashMap<>();
        Map<String, GramAccumulator> byLayer = new LinkedHashMap<>();
        boolean done = false;
        try {
            viewByLayer.forEach((name, view) -> byLayer.put(name,
                    accumulators.computeIfAbsent(view, v -> new GramAccumulator(v.columns()))));
            if (!accumulators.isEmpty()) {
                run(model, accumulators, inputs, threads, listener);
            }
            done = true;
            return new LayerGrams(byLayer, fallbacks, inputs.description(), inputs.samples(), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (!done) {
                accumulators.values().forEach(GramAccumulator::close);
            }
        }
    }

    static InputView view(LayerSite site, LayerGeometry geometry) {
        String value = site.node().getInput(0);
        return switch (site.kind()) {
            case MAT_MUL -> new InputView(value, Layout.LAST_AXIS, geometry.inChannels());
            case GEMM -> new InputView(value, Attributes.integer(site.node(), "transA", 0) == 0 ? Layout.LAST_AXIS
                    : Layout.COLUMNS, geometry.inChannels());
            case CONV -> new InputView(value, Layout.CHANNELS, geometry.inChannels());
            case OTHER -> throw new IllegalArgumentException("layer " + site.name() + " cannot be split, so it has no"
                    + " input to calibrate");
        };
    }

    private static void run(OnnxModel model, Map<InputView, GramAccumulator> accumulators, CalibrationInputs inputs,
                            int threads, BatchListener listener) throws CalibrationException {
        List<String> values = accumulators.keySet().stream().map(InputView::value).distinct().toList();
        List<RowBuffer> buffers = new ArrayList<>();
        try (ExposedValues exposed = ExposedValues.expose(model, values);
             ModelSession session = ModelSession.open(SessionModels.of(exposed.model().wire(), exposed.model().wire().label()
                + " (layer inputs exposed for calibration)"), SessionSettings.DEFAULT, threads)) {
            inputs.prepare(session.inputs());
            Map<String, List<Map.Entry<InputView, RowBuffer>>> byOutput = new LinkedHashMap<>();
            accumulators.forEach((view, accumulator) -> {
                RowBuffer buffer = new RowBuffer(accumulator);
                buffers.add(buffer);
                byOutput.computeIfAbsent(exposed.outputs().get(view.value()), o -> new ArrayList<>()).add(Map.entry(view, buffer));
            });
            List<String> outputs = List.copyOf(byOutput.keySet());
            for (int index = 0; index < inputs.batchCount(); index++) {
                try (CalibrationBatch batch = inputs.batch(index)) {
                    int batchIndex = index;
                    try {
                        session.run(batch.feeds(), outputs, (output, shape, floats) -> {
                            for (Map.Entry<InputView, RowBuffer> target : byOutput.get(output)) {
                                accumulate(target.getKey(), target.getValue(), shape, floats, batch.tokenMask(), batchIndex);
                            }
                        });
                    } catch (SessionException e) {
                        throw new CalibrationException("calibration batch " + (index + 1) + " of " + inputs.batchCount()
                                + " (" + inputs.description() + ") does not run on " + model.label() + ": " + e.getMessage(), e);
                    }
                    listener.batchDone(index, batch.samples());
                }
            }
            buffers.forEach(RowBuffer::flush);
        } catch (SessionException e) {
            throw new CalibrationException("cannot open " + model.label() + " with its layer inputs exposed in ONNX Runtime: "
                    + e.getMessage(), e);
        } finally {
            buffers.forEach(RowBuffer::close);
        }
    }

    /** Adds one batch's rows of {@code view} to {@code accumulator}. */
    private static void accumulate(InputView view, RowBuffer buffer, long[] shape, FloatBuffer values,
                                   long[] mask, int batchIndex) throws SessionException {
        try (Tensor rows = rows(view, shape, values, mask)) {
            buffer.add(rows);
        } catch (IllegalArgumentException e) {
            throw new SessionException("the input " + view.value() + " of a layer to compress " + e.getMessage()
                    + " (calibration batch " + (batchIndex + 1) + "): check the calibration inputs for NaN or infinite values");
        }
    }

    /** The rows {@code x} of one batch of {@code view}'s tensor, as an f64 matrix of {@code rows x columns}. */
    static Tensor rows(InputView view, long[] shape, FloatBuffer values, long[] mask) {
        int n = view.columns();
        return switch (view.layout()) {
            case LAST_AXIS -> {
                requireAxis(view, shape, shape.length - 1, n);
                long count = values.remaining() / n;
                boolean masked = mask != null && shape.length == 3 && shape[0] * shape[1] == mask.length;
                long kept = masked ? Arrays.stream(mask).filter(m -> m != 0).count() : count;
                Tensor rows = Tensor.allocate(DType.F64, Shape.of(kept, n));
                MemorySegment target = rows.segment();
                long row = 0;
                for (long r = 0; r < count; r++) {
                    if (masked && mask[(int) r] == 0) {
                        continue;
                    }
                    int base = Math.toIntExact(r * n);
                    for (int c = 0; c < n; c++) {
                        target.setAtIndex(ValueLayout.JAVA_DOUBLE, row * n + c, finite(values.get(base + c)));
                    }
                    row++;
                }
                yield rows;
            }
            case COLUMNS -> {
                if (shape.length != 2) {
                    throw new IllegalArgumentException("has shape " + Arrays.toString(shape) + "; a Gemm input is 2-D");
                }
                requireAxis(view, shape, 0, n);
                int count = Math.toIntExact(shape[1]);
                Tensor rows = Tensor.allocate(DType.F64, Shape.of(count, n));
                MemorySegment target = rows.segment();
                for (int c = 0; c < n; c++) {
                    for (int r = 0; r < count; r++) {
                        target.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) r * n + c, finite(values.get(c * count + r)));
                    }
                }
                yield rows;
            }
            case CHANNELS -> {
                if (shape.length < 3) {
                    throw new IllegalArgumentException("has shape " + Arrays.toString(shape) + "; a Conv input is [N, C, spatial...]");
                }
                requireAxis(view, shape, 1, n);
                int samples = Math.toIntExact(shape[0]);
                int positions = Math.toIntExact(values.remaining() / ((long) samples * n));
                Tensor rows = Tensor.allocate(DType.F64, Shape.of((long) samples * positions, n));
                MemorySegment target = rows.segment();
                for (int s = 0; s < samples; s++) {
                    for (int c = 0; c < n; c++) {
                        int base = (s * n + c) * positions;
                        for (int p = 0; p < positions; p++) {
                            target.setAtIndex(ValueLayout.JAVA_DOUBLE, ((long) s * positions + p) * n + c, finite(values.get(base + p)));
                        }
                    }
                }
                yield rows;
            }
        };
    }

    private static double finite(float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("holds " + value + "; a Gram matrix needs finite rows");
        }
        return value;
    }

    private static void requireAxis(InputView view, long[] shape, int axis, int expected) {
        if (axis < 0 || shape[axis] != expected) {
            throw new IllegalArgumentException("has shape " + Arrays.toString(shape) + ", but the layer reads vectors of "
                    + expected + " elements along axis " + axis);
        }
    }
}
