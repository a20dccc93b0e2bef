package dev.wsvd.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.wsvd.tensor.DType;
import dev.wsvd.tensor.Npy;
import dev.wsvd.tensor.Shape;
import dev.wsvd.tensor.Tensor;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault of a Java read from a truncated mapping is recognized and reported as one line naming the input. */
class MappedInputFaultTest {
    @TempDir
    Path folder;

    @Test
    void aReadOfATruncatedMappingIsReportedNamingTheFile() throws Exception {
        Path file = folder.resolve("w.npy");
        try (Tensor weight = Tensor.allocate(DType.F32, Shape.of(1024, 256))) {
            Npy.write(weight, file);
        }
        try (Tensor mapped = Npy.read(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(128);
            }
            InternalError fault = assertThrows(InternalError.class, () -> mapped.getDouble(mapped.shape().size() - 1));
            assertTrue(MappedInputFault.is(fault), fault.getMessage());
            String message = MappedInputFault.message(file);
            assertTrue(message.startsWith(file + " ") && message.contains("truncated") && !message.contains("\n"), message);
        }
        assertFalse(MappedInputFault.is(new InternalError("something else")));
    }
}
