package dev.wsvd.onnx;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.ModelProto;
import dev.wsvd.onnx.proto.Onnx.TensorShapeProto;
import dev.wsvd.onnx.proto.Onnx.TypeProto;
import dev.wsvd.onnx.proto.Onnx.ValueInfoProto;
import java.util.HashMap;
import java.util.Map;

/**
 * The dimensions known for named values: declared in the graphs' inputs, outputs and value_info, with
 * symbolic dimensions resolved where a user-given input shape binds the symbol (an input declared
 * {@code [batch, sequence]} given as {@code 1x128} makes every {@code sequence} in the model 128), and
 * measured ones added by a {@link ShapeProbe}. Unknown dimensions are -1.
 */
final class ValueShapes {
    private final Map<String, long[]> dims = new HashMap<>();

    static ValueShapes declared(ModelProto model, ModelInputs inputs, InputShapes given) {
        Map<String, Long> symbols = new HashMap<>();
        for (ModelInputs.Input input : inputs.all()) {
            long[] shape = given.get(input.name());
            if (shape != null && input.symbols() != null && shape.length == input.symbols().length) {
                for (int i = 0; i < shape.length; i++) {
                    if (input.symbols()[i] != null) {
                        symbols.putIfAbsent(input.symbols()[i], shape[i]);
                    }
                }
            }
        }
        for (ModelInputs.Input input : inputs.all()) {
            // an input without a given shape runs with batch 1 (see ModelInputs.runDims)
            if (given.get(input.name()) == null && input.symbols() != null && input.symbols().length > 0 && input.symbols()[0] != null) {
                symbols.putIfAbsent(input.symbols()[0], 1L);
            }
        }
        ValueShapes shapes = new ValueShapes();
        new GraphScope(null, GraphPath.MAIN, model.getGraph()).visit(scope -> shapes.declare(scope.graph(), symbols));
        for (String name : given.names()) {
            shapes.dims.put(name, given.get(name));
        }
        return shapes;
    }

    private void declare(GraphProto graph, Map<String, Long> symbols) {
        graph.getInputList().forEach(info -> declare(info, symbols));
        graph.getOutputList().forEach(info -> declare(info, symbols));
        graph.getValueInfoList().forEach(info -> declare(info, symbols));
    }

    private void declare(ValueInfoProto info, Map<String, Long> symbols) {
        long[] resolved = dimsOf(info.getType(), symbols);
        if (resolved != null) {
            dims.putIfAbsent(info.getName(), resolved);
        }
    }

    /** The dims of a tensor type, symbols resolved through {@code symbols}; null when the type has no shape. */
    static long[] dimsOf(TypeProto type, Map<String, Long> symbols) {
        if (!type.hasTensorType() || !type.getTensorType().hasShape()) {
            return null;
        }
        TensorShapeProto shape = type.getTensorType().getShape();
        long[] result = new long[shape.getDimCount()];
        for (int i = 0; i < result.length; i++) {
            TensorShapeProto.Dimension dim = shape.getDim(i);
            result[i] = dim.hasDimValue() && dim.getDimValue() >= 0 ? dim.getDimValue()
                    : dim.hasDimParam() ? symbols.getOrDefault(dim.getDimParam(), -1L) : -1;
        }
        return result;
    }

    /** The dims of {@code name}, or null when nothing is known about it. */
    long[] get(String name) {
        return dims.get(name);
    }

    /**
     * These dims with {@code overrides} in place: the sizes one subgraph's layer sees, where a value name may mean
     * another value in a sibling subgraph.
     */
    ValueShapes with(Map<String, long[]> overrides) {
        ValueShapes copy = new ValueShapes();
        copy.dims.putAll(dims);
        overrides.forEach(copy::put);
        return copy;
    }

    void put(String name, long[] values) {
        dims.put(name, values.clone());
    }

    /** Whether {@code values} is known and its dims {@code [from, to)} are all known. */
    static boolean known(long[] values, int from, int to) {
        if (values == null || from < 0 || to > values.length) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (values[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
