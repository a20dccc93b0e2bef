/**
 * ONNX models and the weight layers in them: reading a model without copying its weights ({@link
 * dev.wsvd.onnx.OnnxModel}), finding its weight layers with their geometry and cost ({@link dev.wsvd.onnx.OnnxLayer}),
 * the weights in the layout the split takes, and a weight swapped back into its stored layout for evaluation
 * ({@link dev.wsvd.onnx.OnnxModel#toStoredLayout}).
 *
 * <p>Three packages, each using only the ones below it: {@link dev.wsvd.onnx.wire} is the zero-copy codec (the
 * protobuf skeleton and the tensor bytes left in the mapped file), this package the model and layer analysis, and
 * {@link dev.wsvd.onnx.rewrite} replaces chosen layers by their factor pairs.
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
 *     try (OnnxModel smaller = LayerRewriter.rewrite(model, pairs)) {
 *         smaller.write(Path.of("model-svd.onnx"));
 *     }
 * }
 * }</pre>
 *
 * <h2>Layers and costs</h2>
 * Weight layers are MatMul with a constant 2-D right operand, Gemm with a constant B, and 1-D/2-D Conv with a
 * constant weight, in the main graph and in If/Loop/Scan bodies; weights may be initializers or Constant
 * nodes, in float32, float64, float16 or bfloat16 (the narrow types are widened for the split and written back
 * as they were). Quantized, transposed, 3-D, depthwise and other layers are listed with the reason they are
 * not split. MACs are per sample: a Conv's output positions come with its geometry, and so do the rows a
 * MatMul runs for ({@link dev.wsvd.layer.LinearGeometry#rowsPerSample()}, the sequence length of a
 * transformer). Output sizes come from value_info, or from one ONNX Runtime run with the given input shapes
 * (through {@code dev.wsvd.runtime}); for layers inside If branches that run has the branches' nodes inlined into
 * the main graph. A convolution whose output size cannot be found (inside a Loop or Scan body) says why
 * ({@link dev.wsvd.onnx.OnnxLayer#macsUnknownReason()}).
 */
package dev.wsvd.onnx;
