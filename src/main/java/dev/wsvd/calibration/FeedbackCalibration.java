package dev.wsvd.calibration;

import dev.wsvd.layer.FeedbackMoments;
import dev.wsvd.linalg.GramAccumulator;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One pass of the sequential refinement's calibration: runs the original model and a partly compressed copy over the
 * same calibration batches and collects, row for row (the same token of the same sample), what an error-feedback refit
 * of the layers reading one input needs ({@link FeedbackMoments}): the input as the original computes it
 * ({@code x_o}) and as the compressed copy does ({@code x_c}), and for each residual value named the drift
 * {@code r_o − r_c}. All of it goes into one Gram of the joined rows {@code [x_c | x_o | d_1 | d_2 ...]} (one BLAS
 * rank-k update per block of rows, F64), whose blocks are the moments; the block {@code Σ x_o·x_oᵀ} is computed and
 * unused, the price of one streaming update. Only one batch of activations is held at a time.
 */
public final class FeedbackCalibration implements AutoCloseable {
    private final GramAccumulator joint;
    private final int inputs;
    private final Map<String, Integer> residualOffsets;

    private FeedbackCalibration(GramAccumulator joint, int inputs, Map<String, Integer> residualOffsets) {
        this.joint = joint;
        this.inputs = inputs;
        this.residualOffsets = residualOffsets;
    }

    /**
     * What layers share one refit pass by: the value a layer reads and the way it reads it (layers with equal keys read
     * the same rows, a transformer's Q, K and V). Null for a layer whose input cannot be refitted: inside an If/Loop
     * body, or a convolution.
     */
    public static String inputKey(OnnxModel model, OnnxLayer layer) {
        if (layer.inSubgraph() || layer.geometry().isEmpty()) {
            return null;
        }
        Calibrator.InputView view = Calibrator.view(model.site(layer), layer.geometry().orElseThrow());
        if (view.layout() == Calibrator.Layout.CHANNELS || !ExposedValues.canExpose(model, view.value())) {
            return null;
        }
        return view.value() + " (" + view.layout().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /**
     * Collects the statistics of {@code layer}'s input (and of the layers that read it the same way) over
     * {@code calibration}.
     *
     * @param original   the original model
     * @param compressed the partly compressed copy, in which {@code layer}'s input and the residual values keep their names
     * @param layer      a layer of {@code original} (MatMul or Gemm in the main graph)
     * @param residuals  values of both models each layer's output is added to, with their width (the layer's outputs)
     * @param threads    intra-op threads of each session
     * @throws CalibrationException if a model does not run on the inputs, a value is not finite, or the two models
     *                              disagree on a value's rows (naming it)
     */
    public static FeedbackCalibration collect(OnnxModel original, OnnxModel compressed, OnnxLayer layer,
                                              Map<String, Integer> residuals, CalibrationInputs calibration, int threads,
                                              Calibrator.BatchListener listener) throws CalibrationException {
        Objects.requireNonNull(layer, "layer");
        if (layer.inSubgraph()) {
            throw new IllegalArgumentException("layer " + layer.name() + " is inside " + layer.graph() + "; its input cannot be exposed");
        }
        Calibrator.InputView input = Calibrator.view(original.site(layer), layer.geometry().orElseThrow());
        if (input.layout() == Calibrator.Layout.CHANNELS) {
            throw new IllegalArgumentException("layer " + layer.name() + " is a convolution; error feedback refits Linear layers");
        }
        Map<String, Calibrator.InputView> views = new LinkedHashMap<>();
        views.put(input.value(), input);
        Map<String, Integer> offsets = new LinkedHashMap<>();
        int width = 2 * input.columns();
        for (Map.Entry<String, Integer> residual : residuals.entrySet()) {
            offsets.put(residual.getKey(), width);
            width += residual.getValue();
            views.putIfAbsent(residual.getKey(), new Calibrator.InputView(residual.getKey(), Calibrator.Layout.LAST_AXIS,
                    residual.getValue()));
        }
        // a residual that is the layer's own input is read with the residual's width, which must then agree
        for (Map.Entry<String, Integer> residual : residuals.entrySet()) {
            if (views.get(residual.getKey()).columns() != residual.getValue()) {
                throw new IllegalArgumentException("value " + residual.getKey() + " is read with " + views.get(residual.getKey()).columns()
                        + " and " + residual.getValue() + " elements per row");
            }
        }
        GramAccumulator joint = new GramAccumulator(width);
        FeedbackCalibration result = new FeedbackCalibration(joint, input.columns(), offsets);
        try {
            run(original, compressed, layer, input, views, offsets, joint, calibration, threads, listener);
            if (joint.rows() == 0) {
                throw new CalibrationException("the calibration inputs gave no rows of " + input.value() + " (every position masked?)");
            }
            return result;
        } catch (CalibrationException | RuntimeException | Error e) {
            joint.close();
            throw e;
        }
    }

    private static void run(OnnxModel original, OnnxModel compressed, OnnxLayer layer, Calibrator.InputView input,
                            Map<String, Calibrator.InputView> views, Map<String, Integer> offsets, GramAccumulator joint,
                            CalibrationInputs calibration, int threads, Calibrator.BatchListener listener)
            throws CalibrationException {
        List<String> values = List.copyOf(new LinkedHashSet<>(views.keySet()));
        try (ExposedValues originalExposed = ExposedValues.expose(original, values);
             ExposedValues compressedExposed = ExposedValues.expose(compressed, values);
             ModelSession originalSession = ModelSession.open(SessionModels.of(originalExposed.model().wire(),
                     original.label() + " (layer inputs exposed for the refit)"), SessionSettings.DEFAULT, threads);
             ModelSession compressedSession = ModelSession.open(SessionModels.of(compressedExposed.model().wire(),
                     compressed.label() + " (partly compressed, layer inputs exposed for the refit)"), SessionSettings.DEFAULT, threads);
             RowBuffer buffer = new RowBuffer(joint)) {
            calibration.prepare(originalSession.inputs());
            for (int index = 0; index < calibration.batchCount(); index++) {
                try (CalibrationBatch batch = calibration.batch(index);
                     Rows originalRows = new Rows();
                     Rows compressedRows = new Rows()) {
                    read(originalSession, originalExposed, views, batch, originalRows, index);
                    read(compressedSession, compressedExposed, views, batch, compressedRows, index);
                    try (Tensor rows = joined(input, offsets, originalRows, compressedRows, joint.columns(), layer)) {
                        buffer.add(rows);
                    }
                    listener.batchDone(index, batch.samples());
                }
            }
            buffer.flush();
        } catch (SessionException e) {
            throw new CalibrationException("refit calibration of layer " + layer.name() + ": " + e.getMessage(), e);
        }
    }

    /** The rows of each exposed value of one run, F64. */
    private static final class Rows implements AutoCloseable {
        final Map<String, Tensor> byValue = new LinkedHashMap<>();

        @Override
        public void close() {
            byValue.values().forEach(Tensor::close);
        }
    }

    private static void read(ModelSession session, ExposedValues exposed, Map<String, Calibrator.InputView> views,
                             CalibrationBatch batch, Rows rows, int index) throws SessionException {
        Map<String, String> valueByOutput = new LinkedHashMap<>();
        exposed.outputs().forEach((value, output) -> valueByOutput.put(output, value));
        session.run(batch.feeds(), new ArrayList<>(valueByOutput.keySet()), (output, shape, floats) -> {
            String value = valueByOutput.get(output);
            try {
                rows.byValue.put(value, Calibrator.rows(views.get(value), shape, floats, batch.tokenMask()));
            } catch (IllegalArgumentException e) {
                throw new SessionException("value " + value + " of " + session.description() + " " + e.getMessage()
                        + " (calibration batch " + (index + 1) + ")");
            }
        });
    }

    /** One batch's joined rows {@code [x_c | x_o | r_o − r_c ...]}. */
    private static Tensor joined(Calibrator.InputView input, Map<String, Integer> offsets, Rows original, Rows compressed,
                                 int width, OnnxLayer layer) throws SessionException {
        Tensor xo = original.byValue.get(input.value());
        Tensor xc = compressed.byValue.get(input.value());
        int count = xc.rows();
        for (String value : original.byValue.keySet()) {
            if (original.byValue.get(value).rows() != count || compressed.byValue.get(value).rows() != count) {
                throw new SessionException("value " + value + " has " + original.byValue.get(value).rows() + " rows in the original"
                        + " and " + compressed.byValue.get(value).rows() + " in the compressed model, but layer " + layer.name()
                        + " reads " + count + ": the refit pairs them row for row");
            }
        }
        Tensor rows = Tensor.allocate(DType.F64, Shape.of(count, width));
        MemorySegment target = rows.segment();
        int d = input.columns();
        copyColumns(xc, target, width, 0, null);
        copyColumns(xo, target, width, d, null);
        for (Map.Entry<String, Integer> residual : offsets.entrySet()) {
            copyColumns(original.byValue.get(residual.getKey()), target, width, residual.getValue(),
                    compressed.byValue.get(residual.getKey()));
        }
        return rows;
    }

    /** Copies {@code source} (minus {@code subtract}, if given) into columns {@code offset...} of the joined rows. */
    private static void copyColumns(Tensor source, MemorySegment target, int width, int offset, Tensor subtract) {
        int columns = source.columns();
        MemorySegment from = source.segment();
        MemorySegment minus = subtract == null ? null : subtract.segment();
        for (long r = 0, n = source.rows(); r < n; r++) {
            for (int c = 0; c < columns; c++) {
                double value = from.getAtIndex(ValueLayout.JAVA_DOUBLE, r * columns + c);
                if (minus != null) {
                    value -= minus.getAtIndex(ValueLayout.JAVA_DOUBLE, r * columns + c);
                }
                target.setAtIndex(ValueLayout.JAVA_DOUBLE, r * width + offset + c, value);
            }
        }
    }

    /** The number of rows collected. */
    public long rows() {
        return joint.rows();
    }

    /**
     * The centred moments of the input, with the drift of {@code residual} (one of the values collected) or without a
     * residual (null). New tensors the caller closes (through the moments).
     */
    public FeedbackMoments moments(String residual) {
        Integer offset = residual == null ? null : residualOffsets.get(residual);
        if (residual != null && offset == null) {
            throw new IllegalArgumentException("the drift of " + residual + " was not collected");
        }
        long n = joint.rows();
        int d = inputs;
        try (Tensor gram = joint.gram(); Tensor mean = joint.mean()) {
            double[] mu = mean.toDoubleArray();
            double[] muC = java.util.Arrays.copyOfRange(mu, 0, d);
            double[] muO = java.util.Arrays.copyOfRange(mu, d, 2 * d);
            Tensor covariance = block(gram, 0, 0, d, d, n, muC, muC);
            Tensor cross = null;
            Tensor drift = null;
            try {
                cross = block(gram, d, 0, d, d, n, muO, muC);
                double[] muD = null;
                if (offset != null) {
                    int width = width(offset);
                    muD = java.util.Arrays.copyOfRange(mu, offset, offset + width);
                    drift = block(gram, offset, 0, width, d, n, muD, muC);
                }
                return new FeedbackMoments(n, covariance, cross, drift, muC, muO, muD);
            } catch (RuntimeException | Error e) {
                covariance.close();
                if (cross != null) {
                    cross.close();
                }
                if (drift != null) {
                    drift.close();
                }
                throw e;
            }
        }
    }

    /** The width of the residual block starting at {@code offset}. */
    private int width(int offset) {
        int next = joint.columns();
        for (int other : residualOffsets.values()) {
            if (other > offset && other < next) {
                next = other;
            }
        }
        return next - offset;
    }

    /** {@code gram[row.., column..] / n − a·bᵀ}, {@code rows x columns}. */
    private static Tensor block(Tensor gram, int row, int column, int rows, int columns, long n, double[] a, double[] b) {
        int width = gram.columns();
        Tensor block = Tensor.allocate(DType.F64, Shape.of(rows, columns));
        for (int i = 0; i < rows; i++) {
            long from = (long) (row + i) * width + column;
            for (int j = 0; j < columns; j++) {
                block.setDouble((long) i * columns + j, gram.getDouble(from + j) / n - a[i] * b[j]);
            }
        }
        return block;
    }

    @Override
    public void close() {
        joint.close();
    }
}
