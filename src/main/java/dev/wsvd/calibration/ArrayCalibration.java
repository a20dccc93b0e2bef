package dev.wsvd.calibration;

import dev.wsvd.runtime.Feed;
import dev.wsvd.runtime.SessionException;
import dev.wsvd.runtime.ValueInfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calibration batches cut from whole input arrays (first axis the samples): a user's {@code .npy} files or arrays
 * given in memory. An int64 input named {@code attention_mask} of shape {@code [samples, positions]} also masks the
 * padding positions out of the layer inputs' rows. Each batch's tensors live in their own arena, freed when the
 * batch closes.
 */
public final class ArrayCalibration implements CalibrationInputs {
    /** The input whose zeros mark padding positions of sequence models. */
    public static final String ATTENTION_MASK = "attention_mask";
    /** The name of an array for the model's only input, whatever that is called (an evaluator's images). */
    public static final String ONLY_INPUT = "";

    private final Map<String, InputArray> arrays;
    private final int samples;
    private final int batchSize;
    private final String description;

    /**
     * @param arrays    the inputs by name, all with the same number of samples
     * @param limit     use only the first {@code limit} samples (0: all)
     * @param batchSize samples per run
     * @throws IllegalArgumentException if there are no arrays or their sample counts differ, naming them
     */
    public ArrayCalibration(List<InputArray> arrays, int limit, int batchSize, String description) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException(description + " holds no calibration input");
        }
        if (batchSize < 1 || limit < 0) {
            throw new IllegalArgumentException("batch size must be positive and the sample limit not negative");
        }
        this.arrays = new LinkedHashMap<>();
        int count = arrays.getFirst().samples();
        for (InputArray array : arrays) {
            if (array.samples() != count) {
                throw new IllegalArgumentException("calibration inputs disagree on the number of samples: "
                        + arrays.getFirst().source() + " has " + count + ", " + array.source() + " has " + array.samples()
                        + " (the first axis is the samples)");
            }
            if (this.arrays.put(array.name(), array) != null) {
                throw new IllegalArgumentException("calibration input " + array.name() + " is given twice");
            }
        }
        this.samples = limit == 0 ? count : Math.min(limit, count);
        this.batchSize = batchSize;
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int batchCount() {
        return (samples + batchSize - 1) / batchSize;
    }

    @Override
    public int samples() {
        return samples;
    }

    @Override
    public void prepare(Map<String, ValueInfo> modelInputs) throws CalibrationException {
        InputArray unnamed = arrays.get(ONLY_INPUT);
        if (unnamed != null) {
            if (modelInputs.size() != 1) {
                throw new CalibrationException(description + " feeds one input, but the model has " + modelInputs.size()
                        + " " + modelInputs.keySet() + "; name the input the samples go to");
            }
            arrays.remove(ONLY_INPUT);
            String name = modelInputs.keySet().iterator().next();
            arrays.put(name, new InputArray(name, unnamed.shape(), unnamed.floats(), unnamed.longs(), unnamed.source()));
        }
        for (ValueInfo input : modelInputs.values()) {
            InputArray named = arrays.get(input.name());
            if (named != null && reshapable(named, input.shape())) {
                long[] shape = input.shape();
                shape[0] = named.samples();
                arrays.put(input.name(), new InputArray(named.name(), shape, named.floats(), named.longs(), named.source()));
            }
        }
        for (ValueInfo input : modelInputs.values()) {
            InputArray array = arrays.get(input.name());
            if (array == null) {
                throw new CalibrationException(description + " has no values for the model input " + input.name() + " ("
                        + input.elementType() + Arrays.toString(input.shape()) + "); the model's inputs are "
                        + modelInputs.keySet() + (description.contains(".npy") ? ": add " + input.name() + ".npy" : ""));
            }
            if (!array.elementType().equals(input.elementType())) {
                throw new CalibrationException(array.source() + " holds " + array.elementType() + " values, but the model"
                        + " input " + input.name() + " takes " + input.elementType());
            }
            long[] expected = input.shape();
            long[] given = array.shape();
            boolean fits = expected.length == given.length;
            for (int axis = 1; fits && axis < expected.length; axis++) {
                fits = expected[axis] < 0 || expected[axis] == given[axis];
            }
            if (!fits) {
                throw new CalibrationException(array.source() + " has shape " + Arrays.toString(given) + ", but the model input "
                        + input.name() + " has shape " + Arrays.toString(expected) + " (-1: any size; the first axis is"
                        + " the samples)");
            }
        }
        for (String name : arrays.keySet()) {
            if (!modelInputs.containsKey(name)) {
                throw new CalibrationException(arrays.get(name).source() + " names no input of the model; its inputs are "
                        + modelInputs.keySet());
            }
        }
    }

    /** Whether the model fixes every sample dimension and {@code array}'s samples have as many values (28x28 -> 1x28x28). */
    private static boolean reshapable(InputArray array, long[] modelShape) {
        long size = 1;
        for (int axis = 1; axis < modelShape.length; axis++) {
            if (modelShape[axis] < 0) {
                return false;
            }
            size *= modelShape[axis];
        }
        return modelShape.length > 1 && size == array.sampleSize();
    }

    @Override
    public CalibrationBatch batch(int index) throws CalibrationException {
        int first = index * batchSize;
        int count = Math.min(batchSize, samples - first);
        Arena arena = Arena.ofShared();
        Map<String, Feed> feeds = new LinkedHashMap<>();
        try {
            for (InputArray array : arrays.values()) {
                long[] shape = array.shape();
                shape[0] = count;
                long per = array.sampleSize();
                long from = first * per;
                long length = count * per;
                if (array.floats() != null) {
                    MemorySegment memory = arena.allocate(ValueLayout.JAVA_FLOAT, length);
                    MemorySegment.copy(array.floats(), Math.toIntExact(from), memory, ValueLayout.JAVA_FLOAT, 0, Math.toIntExact(length));
                    feeds.put(array.name(), Feed.float32(memory, shape));
                } else {
                    MemorySegment memory = arena.allocate(ValueLayout.JAVA_LONG, length);
                    MemorySegment.copy(array.longs(), Math.toIntExact(from), memory, ValueLayout.JAVA_LONG, 0, Math.toIntExact(length));
                    feeds.put(array.name(), Feed.int64(memory, shape));
                }
            }
        } catch (SessionException e) {
            feeds.values().forEach(Feed::close);
            arena.close();
            throw new CalibrationException("cannot make calibration batch " + (index + 1) + " of " + description + ": "
                    + e.getMessage(), e);
        }
        InputArray mask = arrays.get(ATTENTION_MASK);
        long[] tokenMask = null;
        if (mask != null && mask.longs() != null && mask.shape().length == 2) {
            long per = mask.sampleSize();
            tokenMask = Arrays.copyOfRange(mask.longs(), Math.toIntExact(first * per), Math.toIntExact((first + count) * per));
        }
        return new CalibrationBatch(feeds, tokenMask, count, () -> {
            feeds.values().forEach(Feed::close);
            arena.close();
        });
    }

    @Override
    public void close() {
        // the arrays are on the heap
    }
}
