// Written in the shape jextract 22 emits for native/wsvd_openblas.h, because jextract could not be installed
// where it was written. The command in native/README.md regenerates it; only this header then changes.

package dev.wsvd.bindings.openblas;

import java.lang.invoke.*;
import java.lang.foreign.*;
import java.util.*;
import java.util.stream.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.*;

public class lapacke_h {

    lapacke_h() {
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
    private static final int LAPACK_ROW_MAJOR = (int)101L;
    /**
     * {@snippet lang=c :
     * #define LAPACK_ROW_MAJOR 101
     * }
     */
    public static int LAPACK_ROW_MAJOR() {
        return LAPACK_ROW_MAJOR;
    }
    private static final int LAPACK_COL_MAJOR = (int)102L;
    /**
     * {@snippet lang=c :
     * #define LAPACK_COL_MAJOR 102
     * }
     */
    public static int LAPACK_COL_MAJOR() {
        return LAPACK_COL_MAJOR;
    }
    private static final int LAPACK_WORK_MEMORY_ERROR = (int)-1010L;
    /**
     * {@snippet lang=c :
     * #define LAPACK_WORK_MEMORY_ERROR -1010
     * }
     */
    public static int LAPACK_WORK_MEMORY_ERROR() {
        return LAPACK_WORK_MEMORY_ERROR;
    }
    private static final int LAPACK_TRANSPOSE_MEMORY_ERROR = (int)-1011L;
    /**
     * {@snippet lang=c :
     * #define LAPACK_TRANSPOSE_MEMORY_ERROR -1011
     * }
     */
    public static int LAPACK_TRANSPOSE_MEMORY_ERROR() {
        return LAPACK_TRANSPOSE_MEMORY_ERROR;
    }

    private static class LAPACKE_sgesdd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_sgesdd");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt)
     * }
     */
    public static FunctionDescriptor LAPACKE_sgesdd$descriptor() {
        return LAPACKE_sgesdd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt)
     * }
     */
    public static MethodHandle LAPACKE_sgesdd$handle() {
        return LAPACKE_sgesdd.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt)
     * }
     */
    public static MemorySegment LAPACKE_sgesdd$address() {
        return LAPACKE_sgesdd.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt)
     * }
     */
    public static int LAPACKE_sgesdd(int matrix_layout, byte jobz, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt) {
        var mh$ = LAPACKE_sgesdd.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_sgesdd", matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt);
            }
            return (int)mh$.invokeExact(matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_dgesdd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_dgesdd");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt)
     * }
     */
    public static FunctionDescriptor LAPACKE_dgesdd$descriptor() {
        return LAPACKE_dgesdd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt)
     * }
     */
    public static MethodHandle LAPACKE_dgesdd$handle() {
        return LAPACKE_dgesdd.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt)
     * }
     */
    public static MemorySegment LAPACKE_dgesdd$address() {
        return LAPACKE_dgesdd.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt)
     * }
     */
    public static int LAPACKE_dgesdd(int matrix_layout, byte jobz, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt) {
        var mh$ = LAPACKE_dgesdd.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_dgesdd", matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt);
            }
            return (int)mh$.invokeExact(matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_sgesdd_work {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_sgesdd_work");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static FunctionDescriptor LAPACKE_sgesdd_work$descriptor() {
        return LAPACKE_sgesdd_work.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static MethodHandle LAPACKE_sgesdd_work$handle() {
        return LAPACKE_sgesdd_work.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static MemorySegment LAPACKE_sgesdd_work$address() {
        return LAPACKE_sgesdd_work.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static int LAPACKE_sgesdd_work(int matrix_layout, byte jobz, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment work, int lwork, MemorySegment iwork) {
        var mh$ = LAPACKE_sgesdd_work.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_sgesdd_work", matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
            }
            return (int)mh$.invokeExact(matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_dgesdd_work {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_dgesdd_work");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static FunctionDescriptor LAPACKE_dgesdd_work$descriptor() {
        return LAPACKE_dgesdd_work.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static MethodHandle LAPACKE_dgesdd_work$handle() {
        return LAPACKE_dgesdd_work.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static MemorySegment LAPACKE_dgesdd_work$address() {
        return LAPACKE_dgesdd_work.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd_work(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork, lapack_int *iwork)
     * }
     */
    public static int LAPACKE_dgesdd_work(int matrix_layout, byte jobz, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment work, int lwork, MemorySegment iwork) {
        var mh$ = LAPACKE_dgesdd_work.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_dgesdd_work", matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
            }
            return (int)mh$.invokeExact(matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_sgesvd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_sgesvd");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *superb)
     * }
     */
    public static FunctionDescriptor LAPACKE_sgesvd$descriptor() {
        return LAPACKE_sgesvd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *superb)
     * }
     */
    public static MethodHandle LAPACKE_sgesvd$handle() {
        return LAPACKE_sgesvd.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *superb)
     * }
     */
    public static MemorySegment LAPACKE_sgesvd$address() {
        return LAPACKE_sgesvd.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *superb)
     * }
     */
    public static int LAPACKE_sgesvd(int matrix_layout, byte jobu, byte jobvt, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment superb) {
        var mh$ = LAPACKE_sgesvd.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_sgesvd", matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, superb);
            }
            return (int)mh$.invokeExact(matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, superb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_dgesvd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_dgesvd");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *superb)
     * }
     */
    public static FunctionDescriptor LAPACKE_dgesvd$descriptor() {
        return LAPACKE_dgesvd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *superb)
     * }
     */
    public static MethodHandle LAPACKE_dgesvd$handle() {
        return LAPACKE_dgesvd.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *superb)
     * }
     */
    public static MemorySegment LAPACKE_dgesvd$address() {
        return LAPACKE_dgesvd.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *superb)
     * }
     */
    public static int LAPACKE_dgesvd(int matrix_layout, byte jobu, byte jobvt, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment superb) {
        var mh$ = LAPACKE_dgesvd.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_dgesvd", matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, superb);
            }
            return (int)mh$.invokeExact(matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, superb);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_sgesvd_work {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_sgesvd_work");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork)
     * }
     */
    public static FunctionDescriptor LAPACKE_sgesvd_work$descriptor() {
        return LAPACKE_sgesvd_work.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork)
     * }
     */
    public static MethodHandle LAPACKE_sgesvd_work$handle() {
        return LAPACKE_sgesvd_work.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork)
     * }
     */
    public static MemorySegment LAPACKE_sgesvd_work$address() {
        return LAPACKE_sgesvd_work.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *work, lapack_int lwork)
     * }
     */
    public static int LAPACKE_sgesvd_work(int matrix_layout, byte jobu, byte jobvt, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment work, int lwork) {
        var mh$ = LAPACKE_sgesvd_work.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_sgesvd_work", matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork);
            }
            return (int)mh$.invokeExact(matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_dgesvd_work {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_dgesvd_work");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork)
     * }
     */
    public static FunctionDescriptor LAPACKE_dgesvd_work$descriptor() {
        return LAPACKE_dgesvd_work.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork)
     * }
     */
    public static MethodHandle LAPACKE_dgesvd_work$handle() {
        return LAPACKE_dgesvd_work.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork)
     * }
     */
    public static MemorySegment LAPACKE_dgesvd_work$address() {
        return LAPACKE_dgesvd_work.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd_work(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *work, lapack_int lwork)
     * }
     */
    public static int LAPACKE_dgesvd_work(int matrix_layout, byte jobu, byte jobvt, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment work, int lwork) {
        var mh$ = LAPACKE_dgesvd_work.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_dgesvd_work", matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork);
            }
            return (int)mh$.invokeExact(matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_spotrf {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_spotrf");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_spotrf(int matrix_layout, char uplo, lapack_int n, float *a, lapack_int lda)
     * }
     */
    public static FunctionDescriptor LAPACKE_spotrf$descriptor() {
        return LAPACKE_spotrf.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_spotrf(int matrix_layout, char uplo, lapack_int n, float *a, lapack_int lda)
     * }
     */
    public static MethodHandle LAPACKE_spotrf$handle() {
        return LAPACKE_spotrf.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_spotrf(int matrix_layout, char uplo, lapack_int n, float *a, lapack_int lda)
     * }
     */
    public static MemorySegment LAPACKE_spotrf$address() {
        return LAPACKE_spotrf.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_spotrf(int matrix_layout, char uplo, lapack_int n, float *a, lapack_int lda)
     * }
     */
    public static int LAPACKE_spotrf(int matrix_layout, byte uplo, int n, MemorySegment a, int lda) {
        var mh$ = LAPACKE_spotrf.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_spotrf", matrix_layout, uplo, n, a, lda);
            }
            return (int)mh$.invokeExact(matrix_layout, uplo, n, a, lda);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class LAPACKE_dpotrf {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            lapacke_h.C_INT,
            lapacke_h.C_INT,
            lapacke_h.C_CHAR,
            lapacke_h.C_INT,
            lapacke_h.C_POINTER,
            lapacke_h.C_INT
        );

        public static final MemorySegment ADDR = lapacke_h.findOrThrow("LAPACKE_dpotrf");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dpotrf(int matrix_layout, char uplo, lapack_int n, double *a, lapack_int lda)
     * }
     */
    public static FunctionDescriptor LAPACKE_dpotrf$descriptor() {
        return LAPACKE_dpotrf.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dpotrf(int matrix_layout, char uplo, lapack_int n, double *a, lapack_int lda)
     * }
     */
    public static MethodHandle LAPACKE_dpotrf$handle() {
        return LAPACKE_dpotrf.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * lapack_int LAPACKE_dpotrf(int matrix_layout, char uplo, lapack_int n, double *a, lapack_int lda)
     * }
     */
    public static MemorySegment LAPACKE_dpotrf$address() {
        return LAPACKE_dpotrf.ADDR;
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dpotrf(int matrix_layout, char uplo, lapack_int n, double *a, lapack_int lda)
     * }
     */
    public static int LAPACKE_dpotrf(int matrix_layout, byte uplo, int n, MemorySegment a, int lda) {
        var mh$ = LAPACKE_dpotrf.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("LAPACKE_dpotrf", matrix_layout, uplo, n, a, lda);
            }
            return (int)mh$.invokeExact(matrix_layout, uplo, n, a, lda);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}
