package dev.wsvd.onnx;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Concrete shapes for a model's inputs, fixing their symbolic dimensions ({@code batch}, {@code sequence})
 * so output sizes can be computed: the reference's {@code input_shape}, for any number of inputs. Parsed
 * from the command line form {@code NAME=1x3x224x224}.
 */
public final class InputShapes {
    private static final InputShapes NONE = new InputShapes(Map.of());

    private final Map<String, long[]> shapes;

    private InputShapes(Map<String, long[]> shapes) {
        this.shapes = shapes;
    }

    /** No shapes: only static input dimensions are known. */
    public static InputShapes none() {
        return NONE;
    }

    /**
     * Parses {@code NAME=D1xD2x...} entries, e.g. {@code pixel_values=1x3x224x224}. Dimensions are positive
     * integers; a name may contain '=' (the last one separates it).
     *
     * @throws IllegalArgumentException naming the entry that is malformed or repeats an input
     */
    public static InputShapes parse(List<String> entries) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String entry : entries) {
            int split = entry.lastIndexOf('=');
            if (split <= 0 || split == entry.length() - 1) {
                throw new IllegalArgumentException("input shape '" + entry + "' is not NAME=DIMS, e.g. input=1x3x224x224");
            }
            String name = entry.substring(0, split);
            String[] parts = entry.substring(split + 1).split("[xX]", -1);
            long[] dims = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    dims[i] = Long.parseLong(parts[i].trim());
                } catch (NumberFormatException e) {
                    dims[i] = -1;
                }
                if (dims[i] < 1) {
                    throw new IllegalArgumentException("input shape '" + entry + "': dimension '" + parts[i]
                            + "' is not a positive integer (write dimensions as 1x3x224x224)");
                }
            }
            if (shapes.put(name, dims) != null) {
                throw new IllegalArgumentException("input shape for '" + name + "' is given twice");
            }
        }
        return new InputShapes(Collections.unmodifiableMap(shapes));
    }

    /** This set plus {@code name} with {@code dims}. */
    public InputShapes with(String name, long... dims) {
        Objects.requireNonNull(name, "name");
        for (long dim : dims) {
            if (dim < 1) {
                throw new IllegalArgumentException("input '" + name + "': dimensions must be positive, got " + Arrays.toString(dims));
            }
        }
        Map<String, long[]> copy = new LinkedHashMap<>(shapes);
        copy.put(name, dims.clone());
        return new InputShapes(Collections.unmodifiableMap(copy));
    }

    public boolean isEmpty() {
        return shapes.isEmpty();
    }

    public Set<String> names() {
        return shapes.keySet();
    }

    /** The dimensions given for {@code name}, or null. */
    public long[] get(String name) {
        long[] dims = shapes.get(name);
        return dims == null ? null : dims.clone();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof InputShapes that) || !shapes.keySet().equals(that.shapes.keySet())) {
            return false;
        }
        return shapes.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), that.shapes.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return shapes.entrySet().stream().mapToInt(e -> e.getKey().hashCode() ^ Arrays.hashCode(e.getValue())).sum();
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(" ");
        shapes.forEach((name, dims) -> joiner.add(name + "=" + format(dims)));
        return joiner.toString();
    }

    static String format(long[] dims) {
        StringJoiner joiner = new StringJoiner("x");
        for (long dim : dims) {
            joiner.add(dim < 0 ? "?" : Long.toString(dim));
        }
        return joiner.toString();
    }
}
