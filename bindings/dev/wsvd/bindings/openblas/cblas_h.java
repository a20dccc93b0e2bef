// Written in the shape jextract 22 emits for native/wsvd_openblas.h, because jextract could not be installed
// where it was written. The command in native/README.md regenerates it; only this header then changes.

package dev.wsvd.bindings.openblas;

import java.lang.invoke.*;
import java.lang.foreign.*;
import java.util.*;
import java.util.stream.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.*;

public class cblas_h {

    cblas_h() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
         String traceArgs = Arrays.stream(args)
                       .map(Object::toString)
                       .collect(Collectors.joining(", "));
         System.out.printf("%s(%s)\n", name, traceArgs);
    }

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }

    static MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {
        try {
            return MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    static MemoryLayout align(MemoryLayout layout, long align) {
        return switch (layout) {
            case PaddingLayout p -> p;
            case ValueLayout v -> v.withByteAlignment(align);
            case GroupLayout g -> {
                MemoryLayout[] alignedMembers = g.memberLayouts().stream()
                        .map(m -> align(m, align)).toArray(MemoryLayout[]::new);
                yield g instanceof StructLayout ?
                        MemoryLayout.structLayout(alignedMembers) : MemoryLayout.unionLayout(alignedMembers);
            }
            case SequenceLayout s -> MemoryLayout.sequenceLayout(s.elementCount(), align(s.elementLayout(), align));
        };
    }

    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.loaderLookup()
            .or(Linker.nativeLinker().defaultLookup());

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfDouble C_LONG_DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final int CblasRowMajor = (int)101L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_ORDER.CblasRowMajor = 101
     * }
     */
    public static int CblasRowMajor() {
        return CblasRowMajor;
    }
    private static final int CblasColMajor = (int)102L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_ORDER.CblasColMajor = 102
     * }
     */
    public static int CblasColMajor() {
        return CblasColMajor;
    }
    private static final int CblasNoTrans = (int)111L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_TRANSPOSE.CblasNoTrans = 111
     * }
     */
    public static int CblasNoTrans() {
        return CblasNoTrans;
    }
    private static final int CblasTrans = (int)112L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_TRANSPOSE.CblasTrans = 112
     * }
     */
    public static int CblasTrans() {
        return CblasTrans;
    }
    private static final int CblasConjTrans = (int)113L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_TRANSPOSE.CblasConjTrans = 113
     * }
     */
    public static int CblasConjTrans() {
        return CblasConjTrans;
    }
    private static final int CblasConjNoTrans = (int)114L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_TRANSPOSE.CblasConjNoTrans = 114
     * }
     */
    public static int CblasConjNoTrans() {
        return CblasConjNoTrans;
    }
    private static final int CblasUpper = (int)121L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_UPLO.CblasUpper = 121
     * }
     */
    public static int CblasUpper() {
        return CblasUpper;
    }
    private static final int CblasLower = (int)122L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_UPLO.CblasLower = 122
     * }
     */
    public static int CblasLower() {
        return CblasLower;
    }
    private static final int CblasNonUnit = (int)131L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_DIAG.CblasNonUnit = 131
     * }
     */
    public static int CblasNonUnit() {
        return CblasNonUnit;
    }
    private static final int CblasUnit = (int)132L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_DIAG.CblasUnit = 132
     * }
     */
    public static int CblasUnit() {
        return CblasUnit;
    }
    private static final int CblasLeft = (int)141L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_SIDE.CblasLeft = 141
     * }
     */
    public static int CblasLeft() {
        return CblasLeft;
    }
    private static final int CblasRight = (int)142L;
    /**
     * {@snippet lang=c :
     * enum CBLAS_SIDE.CblasRight = 142
     * }
     */
    public static int CblasRight() {
        return CblasRight;
    }

    private static class openblas_set_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("openblas_set_num_threads");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void openblas_set_num_threads(int num_threads)
     * }
     */
    public static FunctionDescriptor openblas_set_num_threads$descriptor() {
        return openblas_set_num_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void openblas_set_num_threads(int num_threads)
     * }
     */
    public static MethodHandle openblas_set_num_threads$handle() {
        return openblas_set_num_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void openblas_set_num_threads(int num_threads)
     * }
     */
    public static MemorySegment openblas_set_num_threads$address() {
        return openblas_set_num_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void openblas_set_num_threads(int num_threads)
     * }
     */
    public static void openblas_set_num_threads(int num_threads) {
        var mh$ = openblas_set_num_threads.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("openblas_set_num_threads", num_threads);
            }
            mh$.invokeExact(num_threads);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("openblas_get_num_threads");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int openblas_get_num_threads(void)
     * }
     */
    public static FunctionDescriptor openblas_get_num_threads$descriptor() {
        return openblas_get_num_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int openblas_get_num_threads(void)
     * }
     */
    public static MethodHandle openblas_get_num_threads$handle() {
        return openblas_get_num_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int openblas_get_num_threads(void)
     * }
     */
    public static MemorySegment openblas_get_num_threads$address() {
        return openblas_get_num_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int openblas_get_num_threads(void)
     * }
     */
    public static int openblas_get_num_threads() {
        var mh$ = openblas_get_num_threads.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("openblas_get_num_threads");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_num_procs {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("openblas_get_num_procs");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int openblas_get_num_procs(void)
     * }
     */
    public static FunctionDescriptor openblas_get_num_procs$descriptor() {
        return openblas_get_num_procs.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int openblas_get_num_procs(void)
     * }
     */
    public static MethodHandle openblas_get_num_procs$handle() {
        return openblas_get_num_procs.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int openblas_get_num_procs(void)
     * }
     */
    public static MemorySegment openblas_get_num_procs$address() {
        return openblas_get_num_procs.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int openblas_get_num_procs(void)
     * }
     */
    public static int openblas_get_num_procs() {
        var mh$ = openblas_get_num_procs.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("openblas_get_num_procs");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_config {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cblas_h.C_POINTER
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("openblas_get_config");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * char * openblas_get_config(void)
     * }
     */
    public static FunctionDescriptor openblas_get_config$descriptor() {
        return openblas_get_config.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * char * openblas_get_config(void)
     * }
     */
    public static MethodHandle openblas_get_config$handle() {
        return openblas_get_config.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * char * openblas_get_config(void)
     * }
     */
    public static MemorySegment openblas_get_config$address() {
        return openblas_get_config.ADDR;
    }

    /**
     * {@snippet lang=c :
     * char * openblas_get_config(void)
     * }
     */
    public static MemorySegment openblas_get_config() {
        var mh$ = openblas_get_config.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("openblas_get_config");
            }
            return (MemorySegment)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_corename {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cblas_h.C_POINTER
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("openblas_get_corename");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * char * openblas_get_corename(void)
     * }
     */
    public static FunctionDescriptor openblas_get_corename$descriptor() {
        return openblas_get_corename.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * char * openblas_get_corename(void)
     * }
     */
    public static MethodHandle openblas_get_corename$handle() {
        return openblas_get_corename.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * char * openblas_get_corename(void)
     * }
     */
    public static MemorySegment openblas_get_corename$address() {
        return openblas_get_corename.ADDR;
    }

    /**
     * {@snippet lang=c :
     * char * openblas_get_corename(void)
     * }
     */
    public static MemorySegment openblas_get_corename() {
        var mh$ = openblas_get_corename.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("openblas_get_corename");
            }
            return (MemorySegment)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_parallel {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("openblas_get_parallel");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int openblas_get_parallel(void)
     * }
     */
    public static FunctionDescriptor openblas_get_parallel$descriptor() {
        return openblas_get_parallel.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int openblas_get_parallel(void)
     * }
     */
    public static MethodHandle openblas_get_parallel$handle() {
        return openblas_get_parallel.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int openblas_get_parallel(void)
     * }
     */
    public static MemorySegment openblas_get_parallel$address() {
        return openblas_get_parallel.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int openblas_get_parallel(void)
     * }
     */
    public static int openblas_get_parallel() {
        var mh$ = openblas_get_parallel.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("openblas_get_parallel");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_sgemm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_FLOAT,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_FLOAT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_sgemm");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_sgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, float alpha, float *A, blasint lda, float *B, blasint ldb, float beta, float *C, blasint ldc)
     * }
     */
    public static FunctionDescriptor cblas_sgemm$descriptor() {
        return cblas_sgemm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_sgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, float alpha, float *A, blasint lda, float *B, blasint ldb, float beta, float *C, blasint ldc)
     * }
     */
    public static MethodHandle cblas_sgemm$handle() {
        return cblas_sgemm.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_sgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, float alpha, float *A, blasint lda, float *B, blasint ldb, float beta, float *C, blasint ldc)
     * }
     */
    public static MemorySegment cblas_sgemm$address() {
        return cblas_sgemm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_sgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, float alpha, float *A, blasint lda, float *B, blasint ldb, float beta, float *C, blasint ldc)
     * }
     */
    public static void cblas_sgemm(int Order, int TransA, int TransB, int M, int N, int K, float alpha, MemorySegment A, int lda, MemorySegment B, int ldb, float beta, MemorySegment C, int ldc) {
        var mh$ = cblas_sgemm.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_sgemm", Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
            }
            mh$.invokeExact(Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_dgemm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_DOUBLE,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_DOUBLE,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_dgemm");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_dgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, double alpha, double *A, blasint lda, double *B, blasint ldb, double beta, double *C, blasint ldc)
     * }
     */
    public static FunctionDescriptor cblas_dgemm$descriptor() {
        return cblas_dgemm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_dgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, double alpha, double *A, blasint lda, double *B, blasint ldb, double beta, double *C, blasint ldc)
     * }
     */
    public static MethodHandle cblas_dgemm$handle() {
        return cblas_dgemm.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_dgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, double alpha, double *A, blasint lda, double *B, blasint ldb, double beta, double *C, blasint ldc)
     * }
     */
    public static MemorySegment cblas_dgemm$address() {
        return cblas_dgemm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_dgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, double alpha, double *A, blasint lda, double *B, blasint ldb, double beta, double *C, blasint ldc)
     * }
     */
    public static void cblas_dgemm(int Order, int TransA, int TransB, int M, int N, int K, double alpha, MemorySegment A, int lda, MemorySegment B, int ldb, double beta, MemorySegment C, int ldc) {
        var mh$ = cblas_dgemm.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_dgemm", Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
            }
            mh$.invokeExact(Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_somatcopy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_FLOAT,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_somatcopy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_somatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, float calpha, float *a, blasint clda, float *b, blasint cldb)
     * }
     */
    public static FunctionDescriptor cblas_somatcopy$descriptor() {
        return cblas_somatcopy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_somatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, float calpha, float *a, blasint clda, float *b, blasint cldb)
     * }
     */
    public static MethodHandle cblas_somatcopy$handle() {
        return cblas_somatcopy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_somatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, float calpha, float *a, blasint clda, float *b, blasint cldb)
     * }
     */
    public static MemorySegment cblas_somatcopy$address() {
        return cblas_somatcopy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_somatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, float calpha, float *a, blasint clda, float *b, blasint cldb)
     * }
     */
    public static void cblas_somatcopy(int CORDER, int CTRANS, int crows, int ccols, float calpha, MemorySegment a, int clda, MemorySegment b, int cldb) {
        var mh$ = cblas_somatcopy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_somatcopy", CORDER, CTRANS, crows, ccols, calpha, a, clda, b, cldb);
            }
            mh$.invokeExact(CORDER, CTRANS, crows, ccols, calpha, a, clda, b, cldb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_domatcopy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_DOUBLE,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_domatcopy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_domatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, double calpha, double *a, blasint clda, double *b, blasint cldb)
     * }
     */
    public static FunctionDescriptor cblas_domatcopy$descriptor() {
        return cblas_domatcopy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_domatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, double calpha, double *a, blasint clda, double *b, blasint cldb)
     * }
     */
    public static MethodHandle cblas_domatcopy$handle() {
        return cblas_domatcopy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_domatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, double calpha, double *a, blasint clda, double *b, blasint cldb)
     * }
     */
    public static MemorySegment cblas_domatcopy$address() {
        return cblas_domatcopy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_domatcopy(enum CBLAS_ORDER CORDER, enum CBLAS_TRANSPOSE CTRANS, blasint crows, blasint ccols, double calpha, double *a, blasint clda, double *b, blasint cldb)
     * }
     */
    public static void cblas_domatcopy(int CORDER, int CTRANS, int crows, int ccols, double calpha, MemorySegment a, int clda, MemorySegment b, int cldb) {
        var mh$ = cblas_domatcopy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_domatcopy", CORDER, CTRANS, crows, ccols, calpha, a, clda, b, cldb);
            }
            mh$.invokeExact(CORDER, CTRANS, crows, ccols, calpha, a, clda, b, cldb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_ssyrk {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_FLOAT,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_FLOAT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_ssyrk");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_ssyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, float alpha, float *A, blasint lda, float beta, float *C, blasint ldc)
     * }
     */
    public static FunctionDescriptor cblas_ssyrk$descriptor() {
        return cblas_ssyrk.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_ssyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, float alpha, float *A, blasint lda, float beta, float *C, blasint ldc)
     * }
     */
    public static MethodHandle cblas_ssyrk$handle() {
        return cblas_ssyrk.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_ssyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, float alpha, float *A, blasint lda, float beta, float *C, blasint ldc)
     * }
     */
    public static MemorySegment cblas_ssyrk$address() {
        return cblas_ssyrk.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_ssyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, float alpha, float *A, blasint lda, float beta, float *C, blasint ldc)
     * }
     */
    public static void cblas_ssyrk(int Order, int Uplo, int Trans, int N, int K, float alpha, MemorySegment A, int lda, float beta, MemorySegment C, int ldc) {
        var mh$ = cblas_ssyrk.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_ssyrk", Order, Uplo, Trans, N, K, alpha, A, lda, beta, C, ldc);
            }
            mh$.invokeExact(Order, Uplo, Trans, N, K, alpha, A, lda, beta, C, ldc);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_dsyrk {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_DOUBLE,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_DOUBLE,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_dsyrk");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_dsyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, double alpha, double *A, blasint lda, double beta, double *C, blasint ldc)
     * }
     */
    public static FunctionDescriptor cblas_dsyrk$descriptor() {
        return cblas_dsyrk.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_dsyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, double alpha, double *A, blasint lda, double beta, double *C, blasint ldc)
     * }
     */
    public static MethodHandle cblas_dsyrk$handle() {
        return cblas_dsyrk.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_dsyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, double alpha, double *A, blasint lda, double beta, double *C, blasint ldc)
     * }
     */
    public static MemorySegment cblas_dsyrk$address() {
        return cblas_dsyrk.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_dsyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, double alpha, double *A, blasint lda, double beta, double *C, blasint ldc)
     * }
     */
    public static void cblas_dsyrk(int Order, int Uplo, int Trans, int N, int K, double alpha, MemorySegment A, int lda, double beta, MemorySegment C, int ldc) {
        var mh$ = cblas_dsyrk.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_dsyrk", Order, Uplo, Trans, N, K, alpha, A, lda, beta, C, ldc);
            }
            mh$.invokeExact(Order, Uplo, Trans, N, K, alpha, A, lda, beta, C, ldc);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_strmm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_FLOAT,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_strmm");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_strmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static FunctionDescriptor cblas_strmm$descriptor() {
        return cblas_strmm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_strmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static MethodHandle cblas_strmm$handle() {
        return cblas_strmm.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_strmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static MemorySegment cblas_strmm$address() {
        return cblas_strmm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_strmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static void cblas_strmm(int Order, int Side, int Uplo, int TransA, int Diag, int M, int N, float alpha, MemorySegment A, int lda, MemorySegment B, int ldb) {
        var mh$ = cblas_strmm.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_strmm", Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
            }
            mh$.invokeExact(Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_dtrmm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_DOUBLE,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_dtrmm");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_dtrmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static FunctionDescriptor cblas_dtrmm$descriptor() {
        return cblas_dtrmm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_dtrmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static MethodHandle cblas_dtrmm$handle() {
        return cblas_dtrmm.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_dtrmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static MemorySegment cblas_dtrmm$address() {
        return cblas_dtrmm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_dtrmm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static void cblas_dtrmm(int Order, int Side, int Uplo, int TransA, int Diag, int M, int N, double alpha, MemorySegment A, int lda, MemorySegment B, int ldb) {
        var mh$ = cblas_dtrmm.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_dtrmm", Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
            }
            mh$.invokeExact(Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_strsm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_FLOAT,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_strsm");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_strsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static FunctionDescriptor cblas_strsm$descriptor() {
        return cblas_strsm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_strsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static MethodHandle cblas_strsm$handle() {
        return cblas_strsm.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_strsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static MemorySegment cblas_strsm$address() {
        return cblas_strsm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_strsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, float alpha, float *A, blasint lda, float *B, blasint ldb)
     * }
     */
    public static void cblas_strsm(int Order, int Side, int Uplo, int TransA, int Diag, int M, int N, float alpha, MemorySegment A, int lda, MemorySegment B, int ldb) {
        var mh$ = cblas_strsm.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_strsm", Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
            }
            mh$.invokeExact(Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_dtrsm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_INT,
            cblas_h.C_DOUBLE,
            cblas_h.C_POINTER,
            cblas_h.C_INT,
            cblas_h.C_POINTER,
            cblas_h.C_INT
        );

        public static final MemorySegment ADDR = cblas_h.findOrThrow("cblas_dtrsm");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void cblas_dtrsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static FunctionDescriptor cblas_dtrsm$descriptor() {
        return cblas_dtrsm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void cblas_dtrsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static MethodHandle cblas_dtrsm$handle() {
        return cblas_dtrsm.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void cblas_dtrsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static MemorySegment cblas_dtrsm$address() {
        return cblas_dtrsm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void cblas_dtrsm(enum CBLAS_ORDER Order, enum CBLAS_SIDE Side, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE TransA, enum CBLAS_DIAG Diag, blasint M, blasint N, double alpha, double *A, blasint lda, double *B, blasint ldb)
     * }
     */
    public static void cblas_dtrsm(int Order, int Side, int Uplo, int TransA, int Diag, int M, int N, double alpha, MemorySegment A, int lda, MemorySegment B, int ldb) {
        var mh$ = cblas_dtrsm.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cblas_dtrsm", Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
            }
            mh$.invokeExact(Order, Side, Uplo, TransA, Diag, M, N, alpha, A, lda, B, ldb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}
