package dev.wsvd;

import dev.wsvd.layer.LayerSvd;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.onnx.OnnxFormatException;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The SVD of every layer a run may split, computed once and kept for every rank the run asks about
 * (candidates, the final split, error profiles). Holds native memory until closed.
 *
 * <p>Layers are decomposed in parallel on a fixed pool of {@code min(threads, layers)} Java threads with OpenBLAS
 * held at one thread: a model's layers are many and mostly small (all-MiniLM-L6-v2: 36 matrices of at most
 * 384 x 1536, tens of milliseconds each), where one BLAS thread per SVD keeps every core busy without the
 * spinning of OpenBLAS's pool, which on a loaded machine made each small SVD many times slower. A single layer
 * is decomposed on the calling thread with OpenBLAS's whole pool.
 */
final class Decompositions implements AutoCloseable {
    private final Map<String, LayerSvd> byName = new ConcurrentHashMap<>();
    private final int threads;
    private final ProgressListener progress;

    Decompositions(int threads, ProgressListener progress) {
        this.threads = threads;
        this.progress = progress;
    }

    /** Decomposes the named layers of {@code plan} that are not decomposed yet. */
    void decompose(OnnxModel model, LayerInventory.Plan plan, List<String> names) throws CompressionException, InterruptedException {
        List<String> missing = new ArrayList<>(names.stream().filter(n -> !byName.containsKey(n)).toList());
        if (missing.isEmpty()) {
            return;
        }
        progress.begin("decomposing layers", missing.size());
        int workers = Math.min(threads, missing.size());
        if (workers <= 1) {
            for (String name : missing) {
                decompose(model, plan.layer(name));
                progress.step(name);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon().name("wsvd-svd-", 1).factory());
            try (OpenBlas.SingleThreaded _ = OpenBlas.singleThreaded()) {
                ExecutorCompletionService<String> done = new ExecutorCompletionService<>(pool);
                for (String name : missing) {
                    done.submit(() -> {
                        decompose(model, plan.layer(name));
                        return name;
                    });
                }
                for (int i = 0; i < missing.size(); i++) {
                    Future<String> finished = done.take();
                    try {
                        progress.step(finished.get());
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof CompressionException failure) {
                            throw failure;
                        }
                        throw new IllegalStateException("decomposing a layer failed unexpectedly", e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
                // Running decompositions finish before the caller may close what they read.
                while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    Thread.onSpinWait();
                }
            }
        }
        progress.end();
    }

    private void decompose(OnnxModel model, PlannedLayer layer) throws CompressionException {
        try (Tensor weight = model.weight(layer.layer()); Tensor bias = model.bias(layer.layer())) {
            byName.put(layer.name(), LayerSvd.decompose(layer.layer().geometry().orElseThrow(), weight, bias));
        } catch (OnnxFormatException e) {
            throw new ModelFormatException("cannot read the weight of layer " + layer.name() + " of " + model.label() + ": "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // what the SVD's preconditions refuse is the weight itself: a NaN or infinity, an empty matrix
            throw new ModelFormatException("cannot decompose layer " + layer.name() + " of " + model.label() + " ("
                    + layer.layer().weightShape() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CompressionException("cannot decompose layer " + layer.name() + " of " + model.label() + " ("
                    + layer.layer().weightShape() + "): " + e.getMessage(), e);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The decomposition of a layer decomposed earlier. */
    LayerSvd of(String name) {
        LayerSvd svd = byName.get(name);
        if (svd == null) {
            throw new IllegalStateException("layer " + name + " was not decomposed");
        }
        return svd;
    }

    /** OpenBLAS on the calling thread only, for the parallel evaluation sweep (see {@link OpenBlas#singleThreaded()}). */
    static AutoCloseable singleThreadedBlas() {
        return OpenBlas.singleThreaded();
    }

    @Override
    public void close() {
        byName.values().forEach(LayerSvd::close);
        byName.clear();
    }
}
