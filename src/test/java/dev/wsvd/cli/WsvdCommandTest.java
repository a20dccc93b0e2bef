package dev.wsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The error handling the launcher's command line adds: short usage errors, one named line for a surprise failure. */
class WsvdCommandTest {
    private static CliRun wsvd(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aMistypedArgumentGetsItsErrorAndAPointerToHelpNotTheWholeUsage() {
        CliRun conflicting = wsvd("factor", "w.npy", "--rank", "4", "--energy", "0.9", "--a", "a.npy", "--b", "b.npy");
        assertEquals(2, conflicting.code());
        String[] lines = conflicting.err().strip().split("\n");
        assertEquals(2, lines.length, conflicting.err());
        assertEquals("wsvd factor: --rank=K, --energy=F are mutually exclusive (specify only one)", lines[0]);
        assertEquals("Try 'wsvd factor --help' for the options.", lines[1]);
        assertEquals("", conflicting.out());

        CliRun missing = wsvd("factor", "w.npy", "--rank", "4");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("wsvd factor: Missing required options: '--a=A.npy', '--b=B.npy'"), missing.err());

        CliRun badNumber = wsvd("factor", "w.npy", "--rank", "four", "--a", "a.npy", "--b", "b.npy");
        assertEquals(2, badNumber.code());
        assertTrue(badNumber.err().startsWith("wsvd factor: Invalid value for option '--rank': 'four' is not an int"), badNumber.err());
    }

    @Test
    void anUnknownOptionGetsSuggestions() {
        CliRun run = wsvd("inspect", "model.onnx", "--jsn");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("wsvd inspect: Unknown option: '--jsn'"), run.err());
        assertTrue(run.err().contains("--json"), "picocli's suggestion: " + run.err());
        assertTrue(run.err().strip().endsWith("Try 'wsvd inspect --help' for the options."), run.err());
    }

    /** A command with a bug, to see what a user would be shown. */
    @CommandLine.Command(name = "broken")
    static final class Broken implements Runnable {
        @Override
        public void run() {
            throw new ArithmeticException("integer overflow");
        }
    }

    @Test
    void anUnanticipatedFailureIsNamedOnItsFirstLine() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = WsvdCommand.commandLine().addSubcommand(new Broken());
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(1, commandLine.execute("broken"));
        assertTrue(err.toString().startsWith("wsvd broken: unexpected failure: java.lang.ArithmeticException: integer overflow\n"),
                err.toString());
    }

    @Test
    void helpStillPrintsTheUsage() {
        CliRun run = wsvd("factor", "--help");
        assertEquals(0, run.code());
        assertTrue(run.out().startsWith("Usage: wsvd factor"), run.out());
    }
}
