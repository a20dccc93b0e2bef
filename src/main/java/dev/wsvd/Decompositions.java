package dev.wsvd;

import dev.wsvd.calibration.LayerGrams;
import dev.wsvd.layer.LayerSvd;
import dev.wsvd.nativelib.OpenBlas;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.wire.OnnxFormatException;
import dev.wsvd.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SVD of every layer a run may split, computed once and kept for every rank the run asks about
 * (candidates, the final split, error profiles). Holds native memory until closed.
 *
 * <p>Layers are decomposed in parallel on a {@link WorkerPool} of {@code min(threads, layers)} threads with OpenBLAS
 * held at one thread: a model's layers are many and mostly small (all-MiniLM-L6-v2: 36 matrices of at most
 * 384 x 1536, tens of milliseconds each), where one BLAS thread per SVD keeps every core busy without the
 * spinning of OpenBLAS's pool, which on a loaded machine made each small SVD many times slower. A single layer
 * is decomposed on the calling thread with OpenBLAS's whole pool.
 */
final class Decompositions implements AutoCloseable {
    private final Map<String, LayerSvd> byName = new ConcurrentHashMap<>();
    private final int threads;
    private final ProgressListener progress;
    private LayerGrams grams; // data-aware method: the calibrated layers' input Grams; null for the plain split

    Decompositions(int threads, ProgressListener progress) {
        this.threads = threads;
        this.progress = progress;
    }

    /**
     * Data-aware method: split the layers {@code grams} calibrated by their inputs from now on (the others, and all
     * when this is never called, get the plain split). Takes ownership of {@code grams}.
     */
    void useGrams(LayerGrams grams) {
        if (this.grams != null) {
            this.grams.close();
        }
        this.grams = grams;
    }

    /** The calibration the data-aware layers were split with, or null for a plain run. */
    LayerGrams grams() {
        return grams;
    }

    /** Decomposes the named layers of {@code plan} that are not decomposed yet. */
    void decompose(OnnxModel model, LayerInventory.Plan plan, List<String> names) throws CompressionException, InterruptedException {
        List<String> missing = names.stream().filter(n -> !byName.containsKey(n)).toList();
        if (missing.isEmpty()) {
            return;
        }
        progress.begin("decomposing layers", missing.size());
        new WorkerPool("wsvd-svd-", threads, Decompositions::singleThreadedBlas).run(missing,
                name -> decompose(model, plan.layer(name)),
                (name, decomposed) -> progress.step(name),
                Decompositions::failure);
        progress.end();
    }

    private static CompressionException failure(String layer, Exception cause) {
        if (cause instanceof CompressionException known) {
            return known;
        }
        return new CompressionException("decomposing layer " + layer + " failed unexpectedly: " + cause.getMessage(), cause);
    }

    private LayerSvd decompose(OnnxModel model, PlannedLayer layer) throws CompressionException {
        try (Tensor weight = model.weight(layer.layer()); Tensor bias = model.bias(layer.layer())) {
            LayerSvd svd;
            if (grams != null && grams.has(layer.name())) {
                try (Tensor gram = grams.gram(layer.name())) {
                    svd = LayerSvd.decompose(layer.layer().geometry().orElseThrow(), weight, bias, gram);
                }
            } else {
                svd = LayerSvd.decompose(layer.layer().geometry().orElseThrow(), weight, bias);
            }
            byName.put(layer.name(), svd);
            return svd;
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

    /** OpenBLAS on the calling thread only, around a parallel run (see {@link OpenBlas#singleThreaded()}). */
    static WorkerPool.Section singleThreadedBlas() {
        return OpenBlas.singleThreaded()::close;
    }

    @Override
    public void close() {
        byName.values().forEach(LayerSvd::close);
        byName.clear();
        if (grams != null) {
            grams.close();
        }
    }
}
