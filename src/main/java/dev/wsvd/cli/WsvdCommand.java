package dev.wsvd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wsvd} command line: Weight SVD compression of neural networks. */
@Command(name = "wsvd",
        mixinStandardHelpOptions = true,
        version = "wsvd 0.1.0",
        description = "Weight SVD compression of neural networks (ONNX in, ONNX out).",
        subcommands = {CommandLine.HelpCommand.class, FactorCommand.class, InspectCommand.class, CompressCommand.class, DemoCommand.class})
public final class WsvdCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WsvdCommand()).execute(args));
    }
}
