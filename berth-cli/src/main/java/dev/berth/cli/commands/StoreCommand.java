package dev.berth.cli.commands;

import dev.berth.cli.BerthCommand;
import dev.berth.oci.store.LocalStore;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A subcommand that works on the local image store. */
abstract class StoreCommand implements Callable<Integer> {
    @ParentCommand
    private BerthCommand berth;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() throws IOException {
        return run(berth.store());
    }

    protected abstract int run(LocalStore store) throws IOException;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
