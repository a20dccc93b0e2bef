package dev.wsvd.linalg;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.tensor.DType;

import java.lang.foreign.MemorySegment;

/** Out-of-place matrix transposes by OpenBLAS's {@code cblas_?omatcopy}. */
final class Transposes {
    private Transposes() {
    }

    /** Writes the row-major {@code cols x rows} transpose of the row-major {@code rows x cols} {@code source}. */
    static void transpose(DType dtype, int rows, int cols, MemorySegment source, MemorySegment target) {
        int rowMajor = cblas_h.CblasRowMajor();
        int trans = cblas_h.CblasTrans();
        if (dtype == DType.F32) {
            cblas_h.cblas_somatcopy(rowMajor, trans, rows, cols, 1f, source, Math.max(1, cols), target, Math.max(1, rows));
        } else {
            cblas_h.cblas_domatcopy(rowMajor, trans, rows, cols, 1d, source, Math.max(1, cols), target, Math.max(1, rows));
        }
    }
}
