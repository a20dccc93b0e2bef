package dev.wsvd.simd;

import static dev.wsvd.simd.KernelChecks.checkRange;
import static dev.wsvd.simd.KernelChecks.checkScaling;
import static dev.wsvd.simd.KernelChecks.checkTails;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Vector API's preferred species (the widest vectors the CPU runs natively), or on the size that
 * {@value Vectorization#BITS_PROPERTY} asks for (128, 256 or 512 bits): the tests run every size this way, as
 * Lucene's do with {@code tests.vectorsize}. A size wider than the CPU's runs, but emulated by the Vector API in
 * plain Java rather than compiled to SIMD instructions, and the description says so. The size is read once,
 * when this class initializes, into static final species: the Vector API compiles to SIMD instructions only
 * when the species is a constant, so it cannot be a field of an instance.
 *
 * <p>Only {@link Vectorization} creates this class, and only after checking that {@code jdk.incubator.vector}
 * is in the boot layer: loading it without the module fails to link.
 *
 * <p>f32 sums widen each float vector to a double vector of the same lane count before squaring and adding
 * (see {@link VectorKernels} for why), so float loads use a species half as wide as the chosen one. Sums
 * keep four independent accumulators so consecutive additions do not wait on each other. Tails shorter than
 * a vector run the scalar loop. The Vector API reads only native segments and heap segments over byte
 * arrays; any other heap segment (e.g. over a float[]) goes to the scalar kernels.
 */
final class PanamaVectorKernels implements VectorKernels {
    /** The smallest vector width worth using: below it the scalar loop is as fast. */
    static final int MINIMUM_BIT_SIZE = 128;
    private static final int PREFERRED_BITS = VectorShape.preferredShape().vectorBitSize();
    private static final String REQUESTED_BITS = System.getProperty(Vectorization.BITS_PROPERTY);
    /** Why {@value Vectorization#BITS_PROPERTY} cannot be honoured, or null (also when it is not set). */
    private static final String SIZE_PROBLEM = sizeProblem(REQUESTED_BITS);
    private static final int BITS = REQUESTED_BITS == null || SIZE_PROBLEM != null
            ? PREFERRED_BITS : Integer.parseInt(REQUESTED_BITS.strip());

    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
    private static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, VectorShape.forBitSize(BITS));
    /** Float vectors with as many lanes as {@link #DOUBLES}: one load widens lane for lane into one double vector. */
    private static final VectorSpecies<Float> WIDENING_FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, DOUBLES.vectorBitSize() / 2)));
    private static final int UNROLL = 4;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final VectorKernels SCALAR = ScalarVectorKernels.INSTANCE;

    private PanamaVectorKernels() {
    }

    /**
     * The vector kernels.
     *
     * @throws IllegalArgumentException      if {@value Vectorization#BITS_PROPERTY} asks for a size they cannot use
     * @throws UnsupportedOperationException if the preferred vectors are narrower than {@value #MINIMUM_BIT_SIZE} bits
     */
    static VectorKernels create() {
        if (SIZE_PROBLEM != null) {
            throw new IllegalArgumentException(SIZE_PROBLEM);
        }
        if (PREFERRED_BITS < MINIMUM_BIT_SIZE) {
            throw new UnsupportedOperationException("the CPU's preferred vector size is " + PREFERRED_BITS
                    + " bits; the Vector API kernels need at least " + MINIMUM_BIT_SIZE);
        }
        return new PanamaVectorKernels();
    }

    /** Why a requested vector size cannot be used, or null when it can or none was requested. */
    static String sizeProblem(String requested) {
        if (requested == null) {
            return null;
        }
        String setting = "-D" + Vectorization.BITS_PROPERTY + "=" + requested;
        int bits;
        try {
            bits = Integer.parseInt(requested.strip());
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            return setting + " is not a vector size; use 128, 256 or 512";
        }
        return null;
    }

    /** The vector size these kernels run at, in bits. */
    static int bitSize() {
        return BITS;
    }

    @Override
    public String name() {
        return "panama";
    }

    @Override
    public String description() {
        return "panama (" + BITS + "-bit vectors: " + FLOATS.length() + " f32 / " + DOUBLES.length() + " f64 lanes"
                + (BITS == PREFERRED_BITS ? "" : "; set by -D" + Vectorization.BITS_PROPERTY + ", the CPU's are " + PREFERRED_BITS + "-bit")
                + (BITS > PREFERRED_BITS ? ", so these are emulated, not SIMD instructions" : "")
                + ")";
    }

    @Override
    public double sumOfSquaresF32(MemorySegment x, long offset, long count) {
        checkRange("x", x, offset, count, Float.BYTES);
        if (!readable(x)) {
            return SCALAR.sumOfSquaresF32(x, offset, count);
        }
        int lanes = WIDENING_FLOATS.length();
        long base = offset * Float.BYTES;
        DoubleVector sum0 = DoubleVector.zero(DOUBLES);
        DoubleVector sum1 = sum0;
        DoubleVector sum2 = sum0;
        DoubleVector sum3 = sum0;
        long i = 0;
        for (long bound = roundDown(count, UNROLL * lanes); i < bound; i += UNROLL * lanes) {
            DoubleVector v0 = widen(x, base + i * Float.BYTES);
            DoubleVector v1 = widen(x, base + (i + lanes) * Float.BYTES);
            DoubleVector v2 = widen(x, base + (i + 2L * lanes) * Float.BYTES);
            DoubleVector v3 = widen(x, base + (i + 3L * lanes) * Float.BYTES);
            sum0 = sum0.add(v0.mul(v0));
            sum1 = sum1.add(v1.mul(v1));
            sum2 = sum2.add(v2.mul(v2));
            sum3 = sum3.add(v3.mul(v3));
        }
        for (long bound = roundDown(count, lanes); i < bound; i += lanes) {
            DoubleVector v = widen(x, base + i * Float.BYTES);
            sum0 = sum0.add(v.mul(v));
        }
        double sum = sum0.add(sum1).add(sum2.add(sum3)).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            double value = x.getAtIndex(FLOAT, offset + i);
            sum += value * value;
        }
        return sum;
    }

    @Override
    public double sumOfSquaresF64(MemorySegment x, long offset, long count) {
        checkRange("x", x, offset, count, Double.BYTES);
        if (!readable(x)) {
            return SCALAR.sumOfSquaresF64(x, offset, count);
        }
        int lanes = DOUBLES.length();
        long base = offset * Double.BYTES;
        DoubleVector sum0 = DoubleVector.zero(DOUBLES);
        DoubleVector sum1 = sum0;
        DoubleVector sum2 = sum0;
        DoubleVector sum3 = sum0;
        long i = 0;
        for (long bound = roundDown(count, UNROLL * lanes); i < bound; i += UNROLL * lanes) {
            DoubleVector v0 = loadDoubles(x, base + i * Double.BYTES);
            DoubleVector v1 = loadDoubles(x, base + (i + lanes) * Double.BYTES);
            DoubleVector v2 = loadDoubles(x, base + (i + 2L * lanes) * Double.BYTES);
            DoubleVector v3 = loadDoubles(x, base + (i + 3L * lanes) * Double.BYTES);
            sum0 = sum0.add(v0.mul(v0));
            sum1 = sum1.add(v1.mul(v1));
            sum2 = sum2.add(v2.mul(v2));
            sum3 = sum3.add(v3.mul(v3));
        }
        for (long bound = roundDown(count, lanes); i < bound; i += lanes) {
            DoubleVector v = loadDoubles(x, base + i * Double.BYTES);
            sum0 = sum0.add(v.mul(v));
        }
        double sum = sum0.add(sum1).add(sum2.add(sum3)).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            double value = x.getAtIndex(DOUBLE, offset + i);
            sum += value * value;
        }
        return sum;
    }

    @Override
    public double squaredDistanceF32(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long count) {
        checkRange("a", a, aOffset, count, Float.BYTES);
        checkRange("b", b, bOffset, count, Float.BYTES);
        if (!readable(a) || !readable(b)) {
            return SCALAR.squaredDistanceF32(a, aOffset, b, bOffset, count);
        }
        int lanes = WIDENING_FLOATS.length();
        long aBase = aOffset * Float.BYTES;
        long bBase = bOffset * Float.BYTES;
        DoubleVector sum0 = DoubleVector.zero(DOUBLES);
        DoubleVector sum1 = sum0;
        long i = 0;
        for (long bound = roundDown(count, 2 * lanes); i < bound; i += 2 * lanes) {
            long byte0 = i * Float.BYTES;
            long byte1 = (i + lanes) * Float.BYTES;
            DoubleVector d0 = widen(a, aBase + byte0).sub(widen(b, bBase + byte0));
            DoubleVector d1 = widen(a, aBase + byte1).sub(widen(b, bBase + byte1));
            sum0 = sum0.add(d0.mul(d0));
            sum1 = sum1.add(d1.mul(d1));
        }
        for (long bound = roundDown(count, lanes); i < bound; i += lanes) {
            long bytes = i * Float.BYTES;
            DoubleVector d = widen(a, aBase + bytes).sub(widen(b, bBase + bytes));
            sum0 = sum0.add(d.mul(d));
        }
        double sum = sum0.add(sum1).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            double difference = (double) a.getAtIndex(FLOAT, aOffset + i) - b.getAtIndex(FLOAT, bOffset + i);
            sum += difference * difference;
        }
        return sum;
    }

    @Override
    public double squaredDistanceF64(MemorySegment a, long aOffset, MemorySegment b, long bOffset, long count) {
        checkRange("a", a, aOffset, count, Double.BYTES);
        checkRange("b", b, bOffset, count, Double.BYTES);
        if (!readable(a) || !readable(b)) {
            return SCALAR.squaredDistanceF64(a, aOffset, b, bOffset, count);
        }
        int lanes = DOUBLES.length();
        long aBase = aOffset * Double.BYTES;
        long bBase = bOffset * Double.BYTES;
        DoubleVector sum0 = DoubleVector.zero(DOUBLES);
        DoubleVector sum1 = sum0;
        long i = 0;
        for (long bound = roundDown(count, 2 * lanes); i < bound; i += 2 * lanes) {
            long byte0 = i * Double.BYTES;
            long byte1 = (i + lanes) * Double.BYTES;
            DoubleVector d0 = loadDoubles(a, aBase + byte0).sub(loadDoubles(b, bBase + byte0));
            DoubleVector d1 = loadDoubles(a, aBase + byte1).sub(loadDoubles(b, bBase + byte1));
            sum0 = sum0.add(d0.mul(d0));
            sum1 = sum1.add(d1.mul(d1));
        }
        for (long bound = roundDown(count, lanes); i < bound; i += lanes) {
            long bytes = i * Double.BYTES;
            DoubleVector d = loadDoubles(a, aBase + bytes).sub(loadDoubles(b, bBase + bytes));
            sum0 = sum0.add(d.mul(d));
        }
        double sum = sum0.add(sum1).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            double difference = a.getAtIndex(DOUBLE, aOffset + i) - b.getAtIndex(DOUBLE, bOffset + i);
            sum += difference * difference;
        }
        return sum;
    }

    @Override
    public void scaleRowsF32(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.rows(), target, Float.BYTES);
        if (!readable(source.segment()) || !readable(target.segment())) {
            SCALAR.scaleRowsF32(source, scales, scalesOffset, target);
            return;
        }
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        int columns = source.columns();
        int bound = FLOATS.loopBound(columns);
        for (int row = 0; row < source.rows(); row++) {
            float scale = scales.getAtIndex(FLOAT, scalesOffset + row);
            FloatVector scaleVector = FloatVector.broadcast(FLOATS, scale);
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            int column = 0;
            for (; column < bound; column += FLOATS.length()) {
                FloatVector.fromMemorySegment(FLOATS, from, (fromRow + column) * Float.BYTES, ORDER)
                        .mul(scaleVector)
                        .intoMemorySegment(to, (toRow + column) * Float.BYTES, ORDER);
            }
            for (; column < columns; column++) {
                to.setAtIndex(FLOAT, toRow + column, from.getAtIndex(FLOAT, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void scaleRowsF64(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.rows(), target, Double.BYTES);
        if (!readable(source.segment()) || !readable(target.segment())) {
            SCALAR.scaleRowsF64(source, scales, scalesOffset, target);
            return;
        }
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        int columns = source.columns();
        int bound = DOUBLES.loopBound(columns);
        for (int row = 0; row < source.rows(); row++) {
            double scale = scales.getAtIndex(DOUBLE, scalesOffset + row);
            DoubleVector scaleVector = DoubleVector.broadcast(DOUBLES, scale);
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            int column = 0;
            for (; column < bound; column += DOUBLES.length()) {
                DoubleVector.fromMemorySegment(DOUBLES, from, (fromRow + column) * Double.BYTES, ORDER)
                        .mul(scaleVector)
                        .intoMemorySegment(to, (toRow + column) * Double.BYTES, ORDER);
            }
            for (; column < columns; column++) {
                to.setAtIndex(DOUBLE, toRow + column, from.getAtIndex(DOUBLE, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void scaleColumnsF32(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.columns(), target, Float.BYTES);
        if (!readable(source.segment()) || !readable(target.segment()) || !readable(scales)) {
            SCALAR.scaleColumnsF32(source, scales, scalesOffset, target);
            return;
        }
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        int columns = source.columns();
        int bound = FLOATS.loopBound(columns);
        for (int row = 0; row < source.rows(); row++) {
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            int column = 0;
            for (; column < bound; column += FLOATS.length()) {
                FloatVector scale = FloatVector.fromMemorySegment(FLOATS, scales, (scalesOffset + column) * Float.BYTES, ORDER);
                FloatVector.fromMemorySegment(FLOATS, from, (fromRow + column) * Float.BYTES, ORDER)
                        .mul(scale)
                        .intoMemorySegment(to, (toRow + column) * Float.BYTES, ORDER);
            }
            for (; column < columns; column++) {
                float scale = scales.getAtIndex(FLOAT, scalesOffset + column);
                to.setAtIndex(FLOAT, toRow + column, from.getAtIndex(FLOAT, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void scaleColumnsF64(MatrixBlock source, MemorySegment scales, long scalesOffset, MatrixBlock target) {
        checkScaling(source, scales, scalesOffset, source.columns(), target, Double.BYTES);
        if (!readable(source.segment()) || !readable(target.segment()) || !readable(scales)) {
            SCALAR.scaleColumnsF64(source, scales, scalesOffset, target);
            return;
        }
        MemorySegment from = source.segment();
        MemorySegment to = target.segment();
        int columns = source.columns();
        int bound = DOUBLES.loopBound(columns);
        for (int row = 0; row < source.rows(); row++) {
            long fromRow = source.rowStart(row);
            long toRow = target.rowStart(row);
            int column = 0;
            for (; column < bound; column += DOUBLES.length()) {
                DoubleVector scale = DoubleVector.fromMemorySegment(DOUBLES, scales, (scalesOffset + column) * Double.BYTES, ORDER);
                DoubleVector.fromMemorySegment(DOUBLES, from, (fromRow + column) * Double.BYTES, ORDER)
                        .mul(scale)
                        .intoMemorySegment(to, (toRow + column) * Double.BYTES, ORDER);
            }
            for (; column < columns; column++) {
                double scale = scales.getAtIndex(DOUBLE, scalesOffset + column);
                to.setAtIndex(DOUBLE, toRow + column, from.getAtIndex(DOUBLE, fromRow + column) * scale);
            }
        }
    }

    @Override
    public void addSquaredTails(MemorySegment x, long offset, int count, double scale, double[] tails) {
        checkTails(x, offset, count, tails);
        if (!readable(x)) {
            SCALAR.addSquaredTails(x, offset, count, scale, tails);
            return;
        }
        double[] squares = new double[count];
        DoubleVector factor = DoubleVector.broadcast(DOUBLES, scale);
        int i = 0;
        for (int bound = (int) roundDown(count, DOUBLES.length()); i < bound; i += DOUBLES.length()) {
            DoubleVector value = loadDoubles(x, (offset + i) * Double.BYTES).mul(factor);
            value.mul(value).intoArray(squares, i);
        }
        for (; i < count; i++) {
            double value = x.getAtIndex(DOUBLE, offset + i) * scale;
            squares[i] = value * value;
        }
        ScalarVectorKernels.addSuffixSums(squares, tails);
    }

    @Override
    public String toString() {
        return description();
    }

    private static DoubleVector widen(MemorySegment segment, long byteOffset) {
        return (DoubleVector) FloatVector.fromMemorySegment(WIDENING_FLOATS, segment, byteOffset, ORDER)
                .convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    private static DoubleVector loadDoubles(MemorySegment segment, long byteOffset) {
        return DoubleVector.fromMemorySegment(DOUBLES, segment, byteOffset, ORDER);
    }

    /** Whether the Vector API can load from this segment: native memory, or a heap segment over a byte[]. */
    private static boolean readable(MemorySegment segment) {
        return segment.isNative() || segment.heapBase().orElse(null) instanceof byte[];
    }

    private static long roundDown(long count, int step) {
        return count - count % step;
    }
}
