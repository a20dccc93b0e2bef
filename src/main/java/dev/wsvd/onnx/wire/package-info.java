/**
 * The ONNX file format at the wire level, without copying tensor data: {@link dev.wsvd.onnx.wire.WireModel} holds a
 * model as a small protobuf skeleton plus its tensor bytes where they lie, and writes it back.
 *
 * <h2>Memory</h2>
 * protobuf-java 4 copies every {@code bytes} field of a parsed message onto the heap, so the model is not
 * parsed with it directly: a wire-level pass ({@code PayloadExtractor}) leaves each tensor's data in the
 * mapped file (or mapped external data file) and hands protobuf a small skeleton. Weights are then views of
 * the mapping ({@code MemorySegment.isMapped()}), and writing ({@code ModelSerializer}) streams them back from it,
 * so neither reading nor writing holds a second copy. Models over 2 GB keep their weights in external data, which
 * is read and written the same way.
 */
package dev.wsvd.onnx.wire;
