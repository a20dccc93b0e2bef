package dev.wsvd.onnx;

import static dev.wsvd.onnx.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.onnx.proto.Onnx.GraphProto;
import dev.wsvd.onnx.wire.WireModel;
import dev.wsvd.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers of one output path with external data (issue 10, item 9): whoever publishes last, the model
 * file on disk and its .data file must come from the same writer. Before the fix 11 of 40 rounds mixed them.
 */
class ConcurrentExternalWriteTest {
    @TempDir
    Path folder;

    /** Writer {@code id}'s model: a small inline "id" tensor and a 300x4 external weight filled with {@code id}. */
    private static byte[] model(int id) {
        float[] weight = new float[300 * 4];
        java.util.Arrays.fill(weight, id);
        GraphProto graph = GraphProto.newBuilder().setName("g")
                .addInput(value("x", FLOAT, 1, 4))
                .addOutput(value("y", FLOAT, 1, 300))
                .addInitializer(floats("id", dims(1), new float[] {id}))
                .addInitializer(floats("fc.w", dims(300, 4), weight))
                .addNode(node("Gemm", "fc", in("x", "fc.w", "id"), out("y"), integer("transB", 1)))
                .build();
        return Graphs.model(graph, 13).toByteArray();
    }

    @Test
    void theModelAndItsDataAlwaysComeFromTheSameWriter() throws Exception {
        int writers = 4;
        List<OnnxModel> models = new ArrayList<>();
        for (int id = 1; id <= writers; id++) {
            models.add(OnnxModel.read(model(id)));
        }
        Path target = folder.resolve("out.onnx");
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 40; round++) {
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<?>> done = new ArrayList<>();
                for (OnnxModel model : models) {
                    done.add(pool.submit(() -> {
                        start.await();
                        model.write(target, WireModel.ExternalData.EXTERNAL);
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get();
                }
                try (OnnxModel written = OnnxModel.read(target);
                     Tensor id = written.wire().tensor(written.skeleton().getGraph().getInitializer(0));
                     Tensor weight = written.wire().tensor(written.skeleton().getGraph().getInitializer(1))) {
                    assertTrue(weight.segment().isMapped(), "the weight is in the external data file");
                    float writer = id.getFloat(0);
                    for (float value : weight.toFloatArray()) {
                        assertEquals(writer, value, "round " + round + ": the model of writer " + writer + " next to another's data");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            models.forEach(OnnxModel::close);
        }
    }
}
