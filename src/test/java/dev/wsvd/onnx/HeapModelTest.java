package dev.wsvd.onnx;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.layer.FactorPair;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.layer.SingularValuePlacement;
import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A model read from a byte array keeps its weights on the heap; splitting them must work (issue 10, item 8). */
class HeapModelTest {
    @Test
    void aTallLayerOfAModelReadFromAByteArrayIsSplit() throws Exception {
        Random random = new Random(8);
        GraphProto graph = GraphProto.newBuilder().setName("g")
                .addInput(value("x", FLOAT, 1, 6))
                .addOutput(value("y", FLOAT, 1, 40))
                .addInitializer(floats("w", dims(40, 6), random(random, 240)))
                .addNode(node("Gemm", "tall", in("x", "w"), out("y"), integer("transB", 1)))
                .build();
        try (OnnxModel model = OnnxModel.read(Graphs.model(graph, 13).toByteArray())) {
            OnnxLayer layer = model.layer("tall");
            try (Tensor weight = model.weight(layer)) {
                assertFalse(weight.segment().isNative(), "the weight is a view of the caller's array");
                try (LayerSvd svd = LayerSvd.decompose(layer.geometry().orElseThrow(), weight);
                     FactorPair pair = svd.factors(6, SingularValuePlacement.SECOND)) {
                    assertEquals(0, svd.relativeError(6), 1e-6, "full rank reproduces the weight");
                    assertEquals(6, pair.first().shape().dim(0));
                }
            }
        }
    }
}
