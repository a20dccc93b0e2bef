package dev.wsvd.cli;

import dev.wsvd.WeightSvdCompressor;
import dev.wsvd.WeightSvdCompressor.CandidateModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code wsvd} command line: Weight SVD compression of neural networks. */
@Command(name = "wsvd",
        mixinStandardHelpOptions = true,
        versionProvider = WsvdCommand.Version.class,
        description = "Weight SVD compression of neural networks (ONNX in, ONNX out).",
        subcommands = {CommandLine.HelpCommand.class, FactorCommand.class, InspectCommand.class, CompressCommand.class, DemoCommand.class})
final class WsvdCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as the launcher runs it. A mistyped argument gets its one-line error and a pointer to
     * {@code --help} (exit code 2) instead of picocli's whole usage text after the error, and a failure no
     * command anticipated gets one line naming the command before its stack trace (exit code 1).
     */
    public static CommandLine commandLine() {
        return new CommandLine(new WsvdCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(CandidateModels.class, value -> EnumNames.parse(CandidateModels.class, value))
                .registerConverter(dev.wsvd.Method.class, value -> EnumNames.parse(dev.wsvd.Method.class, value))
                .setParameterExceptionHandler(WsvdCommand::usageError)
                .setExecutionExceptionHandler(WsvdCommand::unexpectedFailure);
    }

    /** The version the build stamped into the library. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wsvd " + WeightSvdCompressor.version()};
        }
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        String message = e.getMessage();
        // picocli starts a few of its messages with "Error: ", which the command name already stands for
        return reportUsage(e.getCommandLine().getCommandSpec(), message.startsWith("Error: ") ? message.substring("Error: ".length())
                : message, e);
    }

    /**
     * Prints a usage error the way every verb reports one: the message after the command's name, then where the
     * options are explained. Returns the exit code for it (2).
     */
    static int reportUsage(CommandLine.Model.CommandSpec command, String message) {
        return reportUsage(command, message, null);
    }

    private static int reportUsage(CommandLine.Model.CommandSpec command, String message, CommandLine.ParameterException parsed) {
        PrintWriter err = command.commandLine().getErr();
        String name = command.qualifiedName();
        err.println(name + ": " + message);
        if (parsed != null) {
            CommandLine.UnmatchedArgumentException.printSuggestions(parsed, err);
        }
        err.println("Try '" + name + " --help' for the options.");
        err.flush();
        return command.exitCodeOnInvalidInput();
    }

    private static int unexpectedFailure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": unexpected failure: " + e);
        e.printStackTrace(err);
        err.flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }
}
