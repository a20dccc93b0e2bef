/**
 * ONNX in and out: reading a model without copying its weights, finding its weight layers, rewriting chosen
 * layers as factor pairs, and writing the result.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (OnnxModel model = OnnxModel.read(Path.of("model.onnx"))) {
 *     for (OnnxLayer layer : model.layers(InputShapes.parse(List.of("input_ids=1x128")))) {
 *         if (layer.isCompressible()) {
 *             try (Tensor weight = model.weight(layer); Tensor bias = model.bias(layer)) {
 *                 // split weight (reference layout) into a FactorPair ...
 *             }
 *         }
 *     }
 *     try (OnnxModel smaller = model.rewrite(pairs)) {
 *         smaller.write(Path.of("model-svd.onnx"));
 *     }
 * }
 * }</pre>
 *
 * <h2>Memory</h2>
 * protobuf-java 4 copies every {@code bytes} field of a parsed message onto the heap, so the model is not
 * parsed with it directly: a wire-level pass ({@code PayloadExtractor}) leaves each tensor's data in the
 * mapped file (or mapped external data file) and hands protobuf a small skeleton. Weights are then views of
 * the mapping ({@code MemorySegment.isMapped()}), and writing streams them back from it, so neither reading
 * nor writing holds a second copy. Models over 2 GB keep their weights in external data, which is read and
 * written the same way.
 *
 * <h2>Layers and costs</h2>
 * Weight layers are MatMul with a constant 2-D right operand, Gemm with a constant B, and 1-D/2-D Conv with a
 * constant weight, in the main graph and in If/Loop/Scan bodies; weights may be initializers or Constant
 * nodes, in float32, float64, float16 or bfloat16 (the narrow types are widened for the split and written back
 * as they were). Quantized, transposed, 3-D, depthwise and other layers are listed with the reason they are
 * not split. MACs are per sample: a Conv's output positions come with its geometry, and so do the rows a
 * MatMul runs for ({@link dev.wsvd.layer.LinearGeometry#rowsPerSample()}, the sequence length of a
 * transformer). Output sizes come from value_info, or from one ONNX Runtime run with the given input shapes.
 */
package dev.wsvd.onnx;
