package dev.wsvd.calibration;

import dev.wsvd.runtime.ValueInfo;

import java.util.Map;

/**
 * Where calibration batches come from, one at a time: an evaluator's own data, {@code .npy} files or arrays in
 * memory. A batch is made when asked for and closed by the caller, so only one is held at a time.
 */
public interface CalibrationInputs extends AutoCloseable {
    /** What messages call these inputs, e.g. {@code 1024 WordNet sentences} or {@code calib/ (3 .npy files)}. */
    String description();

    /** The number of batches. */
    int batchCount();

    /** The number of samples over all batches. */
    int samples();

    /**
     * Checks the inputs against the model's before any batch is made (names, element types, fixed dimensions) and
     * keeps only what the model takes.
     *
     * @param modelInputs the model's inputs by name, as its session reports them
     * @throws CalibrationException if an input is missing, named nothing the model takes, or has the wrong type or
     *                              shape; the message names it and says what the model expects
     */
    void prepare(Map<String, ValueInfo> modelInputs) throws CalibrationException;

    /**
     * Batch {@code index} (0-based); the caller closes it.
     *
     * @throws CalibrationException if the batch cannot be made (a file cannot be read, a value is not finite)
     */
    CalibrationBatch batch(int index) throws CalibrationException;

    /** Frees what the inputs hold. */
    @Override
    void close();
}
