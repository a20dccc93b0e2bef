package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import dev.wsvd.onnx.proto.Onnx.TensorShapeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** The main graph's real inputs (initializers listed as inputs excluded) with their declared shapes. */
final class ModelInputs {
    /**
     * @param dims    declared dimensions, -1 where symbolic or unknown; null when no shape is declared
     * @param symbols the symbol of each dimension, or null where it is a number
     */
    record Input(String name, int elementType, long[] dims, String[] symbols) {
        /** {@code input_ids [batch_size x sequence_length]}, as error messages list it. */
        String describe() {
            if (dims == null) {
                return name + " [shape not declared]";
            }
            StringJoiner joiner = new StringJoiner(" x ", name + " [", "]");
            for (int i = 0; i < dims.length; i++) {
                joiner.add(dims[i] >= 0 ? Long.toString(dims[i]) : symbols[i] != null ? symbols[i] : "?");
            }
            return joiner.toString();
        }
    }

    private final List<Input> inputs;

    private ModelInputs(List<Input> inputs) {
        this.inputs = inputs;
    }

    static ModelInputs of(GraphProto graph) {
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().stream().map(TensorProto::getName).forEach(initializers::add);
        List<Input> inputs = new ArrayList<>();
        for (ValueInfoProto info : graph.getInputList()) {
            if (initializers.contains(info.getName())) {
                continue;
            }
            long[] dims = ValueShapes.dimsOf(info.getType(), Map.of());
            String[] symbols = null;
            if (dims != null) {
                TensorShapeProto shape = info.getType().getTensorType().getShape();
                symbols = new String[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    symbols[i] = shape.getDim(i).hasDimParam() ? shape.getDim(i).getDimParam() : null;
                }
            }
            inputs.add(new Input(info.getName(), info.getType().getTensorType().getElemType(), dims, symbols));
        }
        return new ModelInputs(List.copyOf(inputs));
    }

    List<Input> all() {
        return inputs;
    }

    /**
     * The dims to run {@code input} with: the given shape, else the declared one with a symbolic first
     * dimension (the batch) set to 1, since MACs are counted per sample; null when other dimensions are unknown.
     */
    static long[] runDims(Input input, InputShapes given) {
        long[] shape = given.get(input.name());
        if (shape != null) {
            return shape;
        }
        if (input.dims() == null || !ValueShapes.known(input.dims(), 1, input.dims().length)) {
            return null;
        }
        long[] dims = input.dims().clone();
        if (dims.length > 0 && dims[0] < 0) {
            dims[0] = 1;
        }
        return dims;
    }

    /** The inputs that need a given shape before the model can run: symbolic beyond the batch dimension. */
    List<Input> unresolved(InputShapes given) {
        return inputs.stream().filter(input -> runDims(input, given) == null).toList();
    }

    /**
     * Checks user-given shapes against the declared ones: every name must be an input, the rank must match and
     * numeric dimensions must agree.
     */
    void check(InputShapes given, String model) {
        for (String name : given.names()) {
            Input input = inputs.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException(model + " has no input '" + name + "'; its inputs are: " + list(inputs)));
            long[] shape = given.get(name);
            if (input.dims() == null) {
                continue;
            }
            if (shape.length != input.dims().length) {
                throw new IllegalArgumentException("input shape " + name + "=" + InputShapes.format(shape) + " has "
                        + shape.length + " dimensions but " + model + " declares " + input.describe());
            }
            for (int i = 0; i < shape.length; i++) {
                if (input.dims()[i] >= 0 && input.dims()[i] != shape[i]) {
                    throw new IllegalArgumentException("input shape " + name + "=" + InputShapes.format(shape)
                            + " disagrees with the declared " + input.describe() + " in dimension " + i);
                }
            }
        }
    }

    static String list(List<Input> inputs) {
        StringJoiner joiner = new StringJoiner(", ");
        inputs.forEach(input -> joiner.add(input.describe()));
        return joiner.toString();
    }
}
