package dev.wsvd.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code wsvd} command line with what it printed: the command-line tests' one way to call
 * it, so that each run's captured output is its own.
 *
 * @param code the exit code
 * @param out  what it printed to standard output
 * @param err  what it printed to standard error
 */
record CliRun(int code, String out, String err) {

    /** Runs {@code wsvd ARGUMENTS} (the verb first). */
    static CliRun of(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WsvdCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(arguments);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Runs {@code wsvd VERB ARGUMENTS}. */
    static CliRun verb(String verb, String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = verb;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return of(all);
    }
}
