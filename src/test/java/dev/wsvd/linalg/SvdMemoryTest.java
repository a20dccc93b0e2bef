package dev.wsvd.linalg;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.tensor.DType;
import org.junit.jupiter.api.Test;

/** The memory a thin SVD needs, checked before allocating (issue 10, item 6). */
class SvdMemoryTest {
    @Test
    void theIssuesCaseNeedsFarMoreThanTheInput() {
        // 46341 x 46341 F32: the input alone is 8.6 GB; its copy, U, Vt and the 4k^2 workspace make ~60 GB
        double needed = SvdMemory.neededBytes(DType.F32, 46341, 46341, SvdLayout.TRANSPOSED_VIEW);
        double k2 = 46341.0 * 46341.0;
        assertEquals((3 * k2 + 46341 + 4 * k2 + 4 * 46341 + 3 * 46341) * 4 + 8 * 46341 * 4, needed, 1);
        assertTrue(needed > 7 * 8.58e9, "seven times the input: " + needed);
    }

    @Test
    void refusesWithBothFigures() {
        SvdMemoryException error = assertThrows(SvdMemoryException.class,
                () -> SvdMemory.require(DType.F32, 46341, 46341, SvdLayout.TRANSPOSED_VIEW, 8_000_000_000L));
        assertTrue(error.getMessage().contains("46341x46341") && error.getMessage().contains("needs at least 60.1 GB")
                && error.getMessage().contains("only 8.0 GB"), error.getMessage());
        assertEquals(8_000_000_000L, error.availableBytes());
        // the explicit-transpose layout needs its own column-major factors too
        assertTrue(SvdMemory.neededBytes(DType.F64, 1000, 10, SvdLayout.EXPLICIT_TRANSPOSE)
                > SvdMemory.neededBytes(DType.F64, 1000, 10, SvdLayout.TRANSPOSED_VIEW));
        SvdMemory.require(DType.F64, 1000, 10, SvdLayout.EXPLICIT_TRANSPOSE, 1_000_000); // 0.3 MB fits
    }

    @Test
    void availableMemoryIsPositiveAndAtMostThePhysicalMemory() {
        long available = SvdMemory.availableBytes();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        assertTrue(available > 0 && available <= Math.max(os.getTotalMemorySize(), available), "available " + available);
    }
}
