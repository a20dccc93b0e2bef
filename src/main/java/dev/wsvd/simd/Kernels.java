package dev.wsvd.simd;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The kernels on whole tensors, through the implementation {@link Vectorization} chose: what the layer split
 * and the CLI call. Tensors must be f32 or f64 (widen f16/bf16 with {@code to(DType.F32)} first) and operands
 * of one call share a dtype. Results that are new tensors own their memory; the caller closes them.
 */
public final class Kernels {
    private Kernels() {
    }

    /** The implementation in use (its {@code description()} is what the CLI and reports show). */
    public static VectorKernels implementation() {
        return Vectorization.kernels();
    }

    /** {@code sum x_i^2} over all elements, accumulated in double. */
    public static double sumOfSquares(Tensor tensor) {
        MemorySegment x = tensor.segment();
        return switch (computeType(tensor)) {
            case F32 -> implementation().sumOfSquaresF32(x, 0, tensor.shape().size());
            case F64 -> implementation().sumOfSquaresF64(x, 0, tensor.shape().size());
            default -> throw new AssertionError();
        };
    }

    /** {@code ||x||_F}: the square root of {@link #sumOfSquares}. */
    public static double frobeniusNorm(Tensor tensor) {
        return Math.sqrt(sumOfSquares(tensor));
    }

    /** {@code sum (a_i - b_i)^2} over two tensors of the same dtype and shape. */
    public static double squaredDistance(Tensor a, Tensor b) {
        requireSameShape(a, b);
        long count = a.shape().size();
        return switch (computeType(a)) {
            case F32 -> implementation().squaredDistanceF32(a.segment(), 0, b.segment(), 0, count);
            case F64 -> implementation().squaredDistanceF64(a.segment(), 0, b.segment(), 0, count);
            default -> throw new AssertionError();
        };
    }

    /**
     * {@code ||reference - approximation||_F / ||reference||_F}: the explicit reconstruction error. 0 when both
     * are zero; infinite when only the reference is zero.
     */
    public static double relativeError(Tensor reference, Tensor approximation) {
        double distance = squaredDistance(reference, approximation);
        double norm = sumOfSquares(reference);
        if (norm == 0) {
            return distance == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(distance / norm);
    }

    /**
     * The flat (row-major) index of the first NaN or infinite element, or -1 when every element is finite.
     *
     * <p>One vectorized pass decides it: a sum of squares is NaN or infinite exactly when an element is (NaN
     * and infinities propagate), or, for f64 only, when finite elements beyond about 1e154 overflow it. Only
     * then are the elements scanned one by one for the first culprit, which the overflow case does not have.
     * Half-precision tensors are widened first, which keeps every infinity and NaN what it is.
     */
    public static long firstNonFinite(Tensor tensor) {
        if (!tensor.dtype().isComputeType()) {
            try (Tensor widened = tensor.to(DType.F32)) {
                return firstNonFinite(widened);
            }
        }
        if (Double.isFinite(sumOfSquares(tensor))) {
            return -1;
        }
        for (long i = 0, count = tensor.shape().size(); i < count; i++) {
            if (!Double.isFinite(tensor.getDouble(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The squared truncation errors of one or more spectra at every rank, summed over the spectra: entry
     * {@code r} is {@code sum over spectra of sum_{i >= r} s_i^2}, for {@code r = 0..k} (entry 0 the squared norm,
     * entry k zero). With one spectrum per group of a layer, entry {@code r} is the squared error of keeping
     * rank {@code r} in every group.
     *
     * <p>Every square is scaled by the same power of two, {@code 4^-e} with {@code e} the binary exponent of the
     * largest value: exact, and it keeps spectra above 1e154 or below 1e-154 from overflowing or vanishing. So
     * only ratios of entries mean anything: the relative error of rank r is {@code sqrt(t[r] / t[0])}, the energy
     * it keeps {@code 1 - t[r] / t[0]}. The sums run in double for f32 spectra too (a float's square is exact in
     * double); see {@link VectorKernels#addSquaredTails} for why they are tail sums.
     *
     * @param spectra f32 or f64 vectors of equal length, each finite, non-negative and descending (as LAPACK
     *                returns singular values)
     * @throws IllegalArgumentException naming the first value that is NaN, infinite, negative or out of order
     */
    public static double[] scaledSquaredTails(List<Tensor> spectra) {
        return scaledSquaredTails(spectra, true);
    }

    /**
     * {@link #scaledSquaredTails} of finite non-negative values in any order: the norms of rank-one components
     * that come ordered by something other than their own size (a data-aware split orders its components by
     * the output energy they carry, and their weight norms follow only roughly). Entry {@code r} is then the
     * squared weight error of keeping the first {@code r} components, when they are mutually orthogonal. Scaled
     * by the power of two of the largest value, as there.
     *
     * @throws IllegalArgumentException naming the first value that is NaN, infinite or negative
     */
    public static double[] scaledSquaredTailsInAnyOrder(List<Tensor> norms) {
        return scaledSquaredTails(norms, false);
    }

    private static double[] scaledSquaredTails(List<Tensor> spectra, boolean descending) {
        if (spectra.isEmpty()) {
            throw new IllegalArgumentException("no spectrum given");
        }
        int count = spectrumLength(spectra.getFirst());
        int exponent = Integer.MIN_VALUE;
        for (Tensor spectrum : spectra) {
            if (spectrumLength(spectrum) != count) {
                throw new IllegalArgumentException("spectra differ in length: " + count + " and " + spectrumLength(spectrum));
            }
            double largest = requireNonNegative(spectrum, descending);
            if (largest > 0) {
                exponent = Math.max(exponent, Math.getExponent(largest));
            }
        }
        // 2^-e puts the largest value in [1, 2): no square overflows, and a power of two scales exactly
        double scale = exponent == Integer.MIN_VALUE ? 1 : Math.scalb(1.0, -exponent);
        double[] tails = new double[count + 1];
        for (Tensor spectrum : spectra) {
            // the sums run in double for an f32 spectrum too: a float widens to double exactly, and its square is exact
            try (Tensor values = computeType(spectrum) == DType.F64 ? spectrum.reshape(spectrum.shape()) : spectrum.to(DType.F64)) {
                implementation().addSquaredTails(values.segment(), 0, count, scale, tails);
            }
        }
        return tails;
    }

    /**
     * A new {@code rows x n} matrix: the first {@code rows} rows of {@code matrix}, row i times {@code scales[i]}.
     * With {@code Vt} and a spectrum this forms {@code (S·Vt)_r}.
     */
    public static Tensor scaledRows(Tensor matrix, int rows, Tensor scales) {
        DType dtype = requireMatrixAndScales(matrix, scales);
        if (rows < 0 || rows > matrix.rows() || rows > scales.shape().size()) {
            throw new IllegalArgumentException("cannot take " + rows + " rows of a " + matrix.shape() + " matrix with "
                    + scales.shape().size() + " scales");
        }
        int columns = matrix.columns();
        MatrixBlock source = MatrixBlock.contiguous(matrix.segment(), 0, rows, columns);
        Tensor result = Tensor.allocate(dtype, Shape.of(rows, columns));
        scaleRows(dtype, source, scales.segment(), MatrixBlock.contiguous(result.segment(), 0, rows, columns));
        return result;
    }

    /**
     * A new {@code m x columns} matrix: the first {@code columns} columns of {@code matrix}, column j times
     * {@code scales[j]}. With {@code U} and a spectrum this forms {@code (U·S)_r}; pass {@link #sqrt} of the
     * spectrum for balanced factors.
     */
    public static Tensor scaledColumns(Tensor matrix, int columns, Tensor scales) {
        DType dtype = requireMatrixAndScales(matrix, scales);
        if (columns < 0 || columns > matrix.columns() || columns > scales.shape().size()) {
            throw new IllegalArgumentException("cannot take " + columns + " columns of a " + matrix.shape() + " matrix with "
                    + scales.shape().size() + " scales");
        }
        int rows = matrix.rows();
        MatrixBlock source = new MatrixBlock(matrix.segment(), 0, rows, columns, matrix.columns());
        Tensor result = Tensor.allocate(dtype, Shape.of(rows, columns));
        scaleColumns(dtype, source, scales.segment(), MatrixBlock.contiguous(result.segment(), 0, rows, columns));
        return result;
    }

    /** Multiplies row i of {@code matrix} by {@code scales[i]} in place; {@code scales} has one value per row. */
    public static void scaleRowsInPlace(Tensor matrix, Tensor scales) {
        DType dtype = requireMatrixAndScales(matrix, scales);
        if (scales.shape().size() != matrix.rows()) {
            throw new IllegalArgumentException(scales.shape().size() + " scales for the " + matrix.rows() + " rows of a " + matrix.shape() + " matrix");
        }
        MatrixBlock block = MatrixBlock.contiguous(matrix.segment(), 0, matrix.rows(), matrix.columns());
        scaleRows(dtype, block, scales.segment(), block);
    }

    /** Multiplies column j of {@code matrix} by {@code scales[j]} in place; {@code scales} has one value per column. */
    public static void scaleColumnsInPlace(Tensor matrix, Tensor scales) {
        DType dtype = requireMatrixAndScales(matrix, scales);
        if (scales.shape().size() != matrix.columns()) {
            throw new IllegalArgumentException(scales.shape().size() + " scales for the " + matrix.columns() + " columns of a " + matrix.shape() + " matrix");
        }
        MatrixBlock block = MatrixBlock.contiguous(matrix.segment(), 0, matrix.rows(), matrix.columns());
        scaleColumns(dtype, block, scales.segment(), block);
    }

    /** A new matrix holding the first {@code columns} columns of {@code matrix} (e.g. {@code U_r} from a thin {@code U}). */
    public static Tensor leadingColumns(Tensor matrix, int columns) {
        if (matrix.shape().rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + matrix.shape());
        }
        if (columns < 0 || columns > matrix.columns()) {
            throw new IllegalArgumentException("cannot take " + columns + " columns of a " + matrix.shape() + " matrix");
        }
        int rows = matrix.rows();
        long elementBytes = matrix.dtype().byteSize();
        MemorySegment from = matrix.segment();
        Tensor result = Tensor.allocate(matrix.dtype(), Shape.of(rows, columns));
        MemorySegment to = result.segment();
        for (long row = 0; row < rows; row++) {
            MemorySegment.copy(from, row * matrix.columns() * elementBytes, to, row * columns * elementBytes, columns * elementBytes);
        }
        return result;
    }

    /** A new tensor of the element-wise square roots of non-negative values (e.g. {@code sqrt(S)} for balanced factors). */
    public static Tensor sqrt(Tensor values) {
        computeType(values);
        Tensor result = Tensor.allocate(values.dtype(), values.shape());
        for (long i = 0; i < values.shape().size(); i++) {
            double value = values.getDouble(i);
            if (!(value >= 0)) {
                result.close();
                throw new IllegalArgumentException("element " + i + " is " + value + "; square roots need non-negative values");
            }
            result.setDouble(i, Math.sqrt(value));
        }
        return result;
    }

    private static void scaleRows(DType dtype, MatrixBlock source, MemorySegment scales, MatrixBlock target) {
        if (dtype == DType.F32) {
            implementation().scaleRowsF32(source, scales, 0, target);
        } else {
            implementation().scaleRowsF64(source, scales, 0, target);
        }
    }

    private static void scaleColumns(DType dtype, MatrixBlock source, MemorySegment scales, MatrixBlock target) {
        if (dtype == DType.F32) {
            implementation().scaleColumnsF32(source, scales, 0, target);
        } else {
            implementation().scaleColumnsF64(source, scales, 0, target);
        }
    }

    private static DType computeType(Tensor tensor) {
        if (!tensor.dtype().isComputeType()) {
            throw new IllegalArgumentException("kernels work on f32 and f64 tensors, got " + tensor.dtype() + " " + tensor.shape()
                    + "; widen it first with to(DType.F32)");
        }
        return tensor.dtype();
    }

    private static DType requireMatrixAndScales(Tensor matrix, Tensor scales) {
        if (matrix.shape().rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + matrix.shape());
        }
        if (scales.shape().rank() != 1) {
            throw new IllegalArgumentException("scales must be a vector, got shape " + scales.shape());
        }
        if (scales.dtype() != matrix.dtype()) {
            throw new IllegalArgumentException("scales are " + scales.dtype() + " but the matrix is " + matrix.dtype());
        }
        return computeType(matrix);
    }

    private static int spectrumLength(Tensor spectrum) {
        if (spectrum.shape().rank() != 1) {
            throw new IllegalArgumentException("singular values must be a 1-D tensor, got shape " + spectrum.shape());
        }
        return Math.toIntExact(spectrum.shape().dim(0));
    }

    /**
     * Requires finite non-negative values, in descending order if {@code descending}, naming the first that is
     * not; returns the largest (0 for none).
     */
    private static double requireNonNegative(Tensor spectrum, boolean descending) {
        long count = spectrum.shape().size();
        double largest = 0;
        for (long i = 0; i < count; i++) {
            double value = spectrum.getDouble(i);
            if (!Double.isFinite(value) || value < 0) {
                String what = descending ? "singular value " : "value ";
                throw new IllegalArgumentException(what + i + " is " + value + "; " + (descending ? "singular values" : "norms")
                        + " are finite and non-negative");
            }
            if (descending && i > 0 && value > spectrum.getDouble(i - 1)) {
                throw new IllegalArgumentException("singular values must be in descending order, but value " + i + " (" + value
                        + ") exceeds value " + (i - 1) + " (" + spectrum.getDouble(i - 1) + ")");
            }
            largest = Math.max(largest, value);
        }
        return largest;
    }

    private static void requireSameShape(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype() || !a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("operands differ: " + a.dtype() + " " + a.shape() + " and " + b.dtype() + " " + b.shape());
        }
    }
}
