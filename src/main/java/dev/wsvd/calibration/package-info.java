/**
 * Calibration for the data-aware split: the original model run over calibration inputs in ONNX Runtime, with the
 * inputs of the layers to compress exposed as extra graph outputs of an in-memory copy, and for each layer the Gram
 * matrix of its input rows {@code G = Σ x·xᵀ} streamed batch by batch into f64 accumulators
 * ({@link dev.wsvd.linalg.GramAccumulator}). Only one batch of activations is held at a time.
 *
 * <p>{@link dev.wsvd.calibration.Calibrator#collect} does the run; {@link dev.wsvd.calibration.CalibrationInputs} is
 * where the batches come from (an evaluator's own data, {@code .npy} files, arrays in memory), and
 * {@link dev.wsvd.calibration.LayerGrams} what it returns.
 */
package dev.wsvd.calibration;
