package dev.berth.cli.commands;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.io.PrintWriter;

/** A subcommand that works on the local image store. */
abstract class StoreCommand implements Subcommand {
    private Invocation invocation;

    @Override
    public final int run(Invocation invocation) throws IOException {
        this.invocation = invocation;
        return run(invocation.store());
    }

    protected abstract int run(LocalStore store) throws IOException;

    protected Invocation invocation() {
        return invocation;
    }

    protected PrintWriter out() {
        return invocation.out();
    }

    protected PrintWriter err() {
        return invocation.err();
    }
}
