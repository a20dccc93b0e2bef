/**
 * Rewriting an ONNX model: {@link dev.wsvd.onnx.rewrite.LayerRewriter} replaces chosen layers by their factor pairs
 * ({@code <layer>.0} then {@code <layer>.1}, of the same op), in the main graph and in subgraphs, sharing every
 * untouched weight with the source model.
 */
package dev.wsvd.onnx.rewrite;
