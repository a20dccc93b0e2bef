package dev.wsvd;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.Graphs;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model whose every weight layer is quantized (issue 10, item 13): manual and auto mode follow one rule (nothing
 * to compress is an error), and the reason reads once, "quantized: its weight holds INT8 elements".
 */
class QuantizedOnlyModelTest {
    /** x [batch, seq, 16] -> MatMulInteger-free int8 MatMul weights: two layers, both quantized. */
    private static byte[] model() {
        byte[] int8 = new byte[16 * 8];
        for (int i = 0; i < int8.length; i++) {
            int8[i] = (byte) (i % 7 - 3);
        }
        GraphProto graph = GraphProto.newBuilder().setName("q")
                .addInput(value("x", INT8, "batch", "seq", 16))
                .addOutput(untyped("y", INT8))
                .addInitializer(tensor("w1", dims(16, 8), INT8, int8))
                .addInitializer(tensor("w2", dims(8, 16), INT8, int8))
                .addNode(node("MatMul", "mm1", in("x", "w1"), out("h")))
                .addNode(node("MatMul", "mm2", in("h", "w2"), out("y")))
                .build();
        return Graphs.model(graph, 13).toByteArray();
    }

    private static String failure(WeightSvdCompressor compressor, List<String> notes) {
        return assertThrows(CompressionException.class, () -> compressor.compress(ModelSource.of(model())).close()).getMessage();
    }

    @Test
    void manualAndAutoModeRefuseTheSameWay() {
        List<String> notes = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        String manual = failure(WeightSvdCompressor.builder().ratio(0.5).inputShape("x", 1, 4, 16).progress(listener).build(), notes);
        String auto = failure(WeightSvdCompressor.builder().target(0.5).evaluator(m -> Score.of(1)).inputShape("x", 1, 4, 16)
                .progress(listener).build(), notes);
        for (String message : List.of(manual, auto)) {
            assertTrue(message.contains("no layer of") && message.contains("can be compressed"), message);
            assertTrue(message.contains("mm1 (quantized: its weight holds INT8 elements)"), message);
            assertFalse(message.contains("quantized: quantized"), message);
        }
        for (String note : notes) {
            assertFalse(note.contains("input sizes not given"), "the input shape was given: " + note);
        }
    }
}
