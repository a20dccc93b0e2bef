package dev.wsvd.linalg;

import dev.wsvd.tensor.DType;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a thin SVD needs in native memory, checked before anything is allocated: LAPACK's copy of the input
 * ({@code m·n}), {@code U} ({@code m·k}), {@code S} ({@code k}), {@code Vt} ({@code k·n}), the column-major
 * factors of the explicit-transpose layout ({@code m·k + k·n} more), and gesdd's minimal workspace
 * ({@code 3k + max(max(m, n), 4k² + 4k)} elements, {@code 8k} ints). A decomposition that cannot fit is refused
 * with both figures instead of growing until the process dies.
 */
final class SvdMemory {
    private SvdMemory() {
    }

    /** Bytes the thin SVD of an {@code m x n} matrix needs at least, in {@code layout}. */
    static double neededBytes(DType dtype, long m, long n, SvdLayout layout) {
        double k = Math.min(m, n);
        double elements = (double) m * n + m * k + k + k * n
                + (layout == SvdLayout.EXPLICIT_TRANSPOSE ? m * k + k * n : 0)
                + 3 * k + Math.max(Math.max(m, n), 4 * k * k + 4 * k);
        return elements * dtype.byteSize() + 8 * k * Integer.BYTES;
    }

    /**
     * Memory the process can still take: the operating system's available memory (Linux's {@code MemAvailable},
     * which counts reclaimable cache, unless a container limit is lower) or else its free memory.
     */
    static long availableBytes() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long free = os.getFreeMemorySize();
        long total = os.getTotalMemorySize();
        long[] meminfo = linuxMemInfo();
        if (meminfo != null && meminfo[0] <= total) {
            return Math.max(free, meminfo[1]); // no container limit below the machine's memory
        }
        return free;
    }

    /** {MemTotal, MemAvailable} in bytes, or null where /proc/meminfo does not say. */
    private static long[] linuxMemInfo() {
        try {
            long total = -1;
            long available = -1;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] parts = line.split("\\s+");
                if (parts.length >= 2 && parts[0].equals("MemTotal:")) {
                    total = Long.parseLong(parts[1]) * 1024;
                } else if (parts.length >= 2 && parts[0].equals("MemAvailable:")) {
                    available = Long.parseLong(parts[1]) * 1024;
                }
            }
            return total > 0 && available >= 0 ? new long[] {total, available} : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @throws SvdMemoryException if the decomposition needs more than {@code available} bytes
     */
    static void require(DType dtype, long m, long n, SvdLayout layout, long available) {
        double needed = neededBytes(dtype, m, n, layout);
        if (needed > available) {
            throw new SvdMemoryException(String.format(Locale.ROOT, "the SVD of the %s %dx%d matrix needs at least %s"
                    + " (its copy, U, S, Vt and LAPACK's workspace) but only %s of memory is available; decompose it on a"
                    + " machine with more memory, or split a smaller weight", dtype, m, n, size(needed), size(available)),
                    needed, available);
        }
    }

    static String size(double bytes) {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
