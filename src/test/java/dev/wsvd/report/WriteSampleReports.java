package dev.wsvd.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the sample reports (the Fashion-MNIST CNN in auto and manual mode, all-MiniLM-L6-v2 in auto mode) into
 * subdirectories of the given directory, to look at the renderings without running a compression:
 * {@code java -cp target/classes:target/test-classes:<jackson jars> dev.wsvd.report.WriteSampleReports /tmp/samples}.
 */
public final class WriteSampleReports {
    private WriteSampleReports() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: WriteSampleReports DIRECTORY");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        System.out.println(ReportWriter.write(SampleStats.cnnAuto(), root.resolve("cnn-auto")).html().toUri());
        System.out.println(ReportWriter.write(SampleStats.cnnManual(), root.resolve("cnn-manual")).html().toUri());
        System.out.println(ReportWriter.write(SampleStats.miniLmAuto(), root.resolve("minilm-auto")).html().toUri());
    }
}
