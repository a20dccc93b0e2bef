/**
 * Weight SVD compression of ONNX models: the API. {@link dev.wsvd.WeightSvdCompressor} takes a
 * {@link dev.wsvd.ModelSource} and, in auto mode, an {@link dev.wsvd.Evaluator} (built in:
 * {@link dev.wsvd.EmbeddingFidelity}, {@link dev.wsvd.ClassificationAccuracy}), and returns a
 * {@link dev.wsvd.CompressionResult}: the compressed model and its {@link dev.wsvd.CompressionStats}. It is
 * AIMET's {@code ModelCompressor.compress_model} for the weight SVD scheme, matched exactly and then taken
 * further. Every failure is a {@link dev.wsvd.WsvdException} whose message names the model, layer or file and
 * what to do. This package is all a user imports; the statistics render as text, JSON and HTML with
 * {@code dev.wsvd.report}.
 *
 * <h2>Compress and serve without touching disk</h2>
 * A model comes in as bytes, a direct buffer or a mapped file, and goes out as a direct buffer that ONNX Runtime's
 * {@code createSession} reads as it is:
 * <pre>{@code
 * byte[] modelBytes = ...;                                   // e.g. fetched from an object store
 * ModelSource model = ModelSource.of(modelBytes);            // one copy into a direct buffer, shared from here on
 * try (EmbeddingFidelity fidelity = EmbeddingFidelity.builder(model)
 *         .tokenizer(Path.of("tokenizer.json"))              // the model's own tokenizer
 *         .build()) {
 *     WeightSvdCompressor compressor = WeightSvdCompressor.builder()
 *             .target(0.75)                                  // keep 75% of the MACs
 *             .evaluator(fidelity)
 *             .inputShape("input_ids", 1, 128).inputShape("attention_mask", 1, 128).inputShape("token_type_ids", 1, 128)
 *             .build();
 *     try (CompressionResult result = compressor.compress(model);
 *          OrtSession session = OrtEnvironment.getEnvironment()
 *                  .createSession(result.toDirectByteBuffer(), new OrtSession.SessionOptions())) {
 *         CompressionStats stats = result.stats();
 *         System.out.printf("MAC ratio %.3f, mean cosine %.4f%n", stats.macRatio(), stats.scores().compressed().value());
 *         // serve requests with session.run(...)
 *     }
 * }
 * }</pre>
 * The session owns its copy of the weights once created, so the result may be closed while the session serves.
 * {@link dev.wsvd.CompressionResult#toByteArray()} and
 * {@link dev.wsvd.CompressionResult#writeTo(java.nio.file.Path)} give the same model as bytes or a file.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li><b>Manual</b> ({@link dev.wsvd.WeightSvdCompressor.Builder#ratio},
 *       {@link dev.wsvd.WeightSvdCompressor.Builder#layerRatio}): a ratio per layer by name or glob, and/or one for
 *       every layer; ranks from the cost model, rounded up to the multiplicity. The evaluator is optional.</li>
 *   <li><b>Auto</b> ({@link dev.wsvd.WeightSvdCompressor.Builder#target}): the reference's greedy selection, step
 *       for step: every candidate layer is evaluated at the ratios
 *       {@code i/N} with only that layer compressed and its rank not rounded; the optional monotonic fit; the
 *       rounding pass; the binary search over the score threshold until the model ratio is within 0.001 of the
 *       target, or the closest reachable point, which the statistics say ({@code target.reached()}). The
 *       original model is evaluated once for the baseline and the compressed model once for the result.</li>
 * </ul>
 * Layers are kept, with the reason in the statistics, when the user ignores them, when their format cannot be
 * split (quantized, shared or computed weights), when they are depthwise convolutions, in auto mode when they are
 * grouped convolutions (as the reference), and when no rank makes them cheaper in the chosen metric: a split
 * that would cost more than the layer (such as a 1-input-channel first convolution) is refused, where the
 * reference would make it.
 *
 * <h2>Beyond the reference</h2>
 * <ul>
 *   <li><b>One SVD per layer.</b> Each layer is decomposed once; every candidate
 *       rank, the final split and the per-rank error profile come from it. The reference deep-copies the model
 *       and decomposes the layer again for every candidate.</li>
 *   <li><b>Cheap candidates, one session per sweep.</b> A candidate is the original model with one weight replaced
 *       by its rank-r approximation {@code W_r = B·A} ({@link dev.wsvd.WeightSvdCompressor.CandidateModels#REPLACED_WEIGHT});
 *       it computes the same function as the split pair up to float rounding, and nothing of the model is copied or
 *       serialized per candidate. The sweep's candidate weights are graph inputs of one in-memory copy of the model,
 *       each worker opens one ONNX Runtime session on it for the whole sweep, and a candidate feeds its {@code W_r}:
 *       session creation, most of an evaluation's cost before, happens once per worker. Layers whose weight is not a
 *       main-graph initializer are rewritten and serialized instead.</li>
 *   <li><b>Parallel evaluation without oversubscription.</b> When the evaluator allows concurrent calls,
 *       candidates run on a fixed pool of {@code min(cores, candidates)} threads; each evaluation gets
 *       {@code cores / pool} ONNX Runtime threads (1 on a 2-core machine) and OpenBLAS is held at one thread while
 *       the pool runs.</li>
 *   <li><b>Resumable.</b> With a scores file the eval dictionary is saved atomically after every evaluation; a run
 *       that finds it evaluates only the missing pairs, or none, and re-selects.</li>
 *   <li><b>The rank rounding produced is the rank used.</b> The reference turns a rounded rank into a 28-digit ratio
 *       and back, and when that ratio rounds down it splits one rank below the rounded rank (a 64&rarr;64 3x3
 *       convolution at 56x56, ratio 0.66, multiplicity 8: 38 rounds to 40, split at 39). Here the ratio is rounded up
 *       in its 28th digit, so the rank rounding produced is the rank
 *       counted and split.</li>
 *   <li><b>Progress.</b> A {@link dev.wsvd.ProgressListener} hears every phase and step; the command line draws a
 *       bar with an ETA on a terminal and prints about ten plain lines per phase otherwise.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * Both the memory and the MAC ratio, always; per layer the rank, ratio, relative error, parameters and MACs before
 * and after, or why it was kept; the eval dictionary (measured and fitted); target against achieved; wall time per
 * phase (SVD, rewriting, evaluation, selection, writing). Render them with {@code dev.wsvd.report}.
 */
package dev.wsvd;
