package dev.wsvd;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the data-aware method ({@link Method#DATA_AWARE}) runs the original model on to learn each layer's inputs.
 *
 * <ul>
 *   <li>{@link #fromEvaluator()} (the default): the built-in evaluator's own kind of data, disjoint from what it
 *       scores: {@link EmbeddingFidelity} draws WordNet sentence pairs with a seed of its own and drops any that
 *       share a sentence with the scored pairs; {@link ClassificationAccuracy} takes images it does not score (for the
 *       bundled Fashion-MNIST slice, 1,024 images of the training set).</li>
 *   <li>{@link #directory(Path)}: {@code .npy} files named by model input ({@code input_ids.npy}, ...), the samples on
 *       the first axis; float32/float64 for float inputs, int32/int64 for int64 inputs.</li>
 *   <li>{@link #of(List)}: the same in memory, no files.</li>
 * </ul>
 * How many samples are used is {@link WeightSvdCompressor.Builder#calibrationSamples(int)}.
 */
public sealed interface Calibration {

    /** The evaluator's own calibration data (the default). */
    static Calibration fromEvaluator() {
        return new FromEvaluator();
    }

    /** The {@code .npy} files in {@code folder}, one per model input, named after it. */
    static Calibration directory(Path folder) {
        return new Directory(Objects.requireNonNull(folder, "folder"));
    }

    /** Inputs in memory, one per model input, all with the same number of samples. */
    static Calibration of(List<CalibrationInput> inputs) {
        return new InMemory(inputs);
    }

    /** The evaluator's own data. */
    record FromEvaluator() implements Calibration {
    }

    /** A folder of {@code .npy} files named by model input. */
    record Directory(Path folder) implements Calibration {
        public Directory {
            Objects.requireNonNull(folder, "folder");
        }
    }

    /** Inputs given in memory. */
    record InMemory(List<CalibrationInput> inputs) implements Calibration {
        public InMemory {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("give at least one calibration input");
            }
        }
    }
}
