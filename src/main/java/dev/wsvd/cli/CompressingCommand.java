package dev.wsvd.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code compress} and {@code demo}: commands that run the compressor and turn its failures into a message and an exit
 * code the same way ({@link Run#guarded}). Each declares the {@link RunOptions} mixin where its help lists it.
 */
abstract class CompressingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        return Run.guarded(spec, this::execute);
    }

    /** Runs the command; returns its exit code. */
    abstract int execute() throws Exception;
}
