package dev.wsvd.onnx;

/** How wsvd reads and rewrites a weight layer's node. */
enum LayerKind {
    /** {@code x · W} with W stored {@code in x out}; also the quantized MatMul variants (reported only). */
    MAT_MUL,
    /** {@code alpha · A' · B' + beta · C}, W = B stored {@code out x in} when transB, else {@code in x out}. */
    GEMM,
    /** Conv with W stored {@code Cout x Cin/groups x k...}, the reference layout. */
    CONV,
    /** A weight layer wsvd reports but cannot describe as Linear or Conv (packed or transposed weights). */
    OTHER
}
