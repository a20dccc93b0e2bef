/**
 * wsvd: Weight SVD compression of neural networks for the JVM. Each chosen Linear (MatMul, Gemm) or Conv layer
 * of an ONNX model is split by truncated SVD into two thinner layers, as Qualcomm AIMET's Weight SVD does, in
 * process: OpenBLAS/LAPACKE through the Foreign Function &amp; Memory API, Vector API kernels, ONNX in and out,
 * ONNX Runtime to score candidates.
 *
 * <p>{@code dev.wsvd} is the API; {@code dev.wsvd.report} renders its statistics as text, JSON and HTML. Every
 * other package is internal and not exported. At run time the module needs native access (FFM calls into
 * OpenBLAS; ONNX Runtime and the tokenizer load JNI libraries): start the JVM with
 * {@code --enable-native-access=dev.wsvd} (or {@code ALL-UNNAMED} on the class path) and, for the SIMD kernels,
 * {@code --add-modules jdk.incubator.vector} (without it wsvd runs its scalar kernels).
 */
// protobuf-java, ONNX Runtime and DJL's tokenizers ship as automatic modules under stable Automatic-Module-Names.
@SuppressWarnings("requires-automatic")
module dev.wsvd {
    requires static jdk.incubator.vector;
    requires jdk.management; // the HotSpot flags that say whether C2 compiles the Vector API kernels
    requires com.google.protobuf;
    requires com.fasterxml.jackson.databind;
    requires com.microsoft.onnxruntime;
    requires ai.djl.tokenizers;
    requires info.picocli;

    exports dev.wsvd;
    exports dev.wsvd.report;

    // picocli sets the command classes' option fields reflectively
    opens dev.wsvd.cli to info.picocli, com.fasterxml.jackson.databind;
    // the JSON documents are records the one mapper (dev.wsvd.json) reads and writes reflectively
    opens dev.wsvd.report to com.fasterxml.jackson.databind;
    opens dev.wsvd.selection to com.fasterxml.jackson.databind;
}
