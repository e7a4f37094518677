package dev.berth.cli;

import dev.berth.cli.args.Syntax;

/** One berth command: what it accepts, and what it does with it. */
public interface Subcommand {
    /** Declares the command's description, options and parameters; their handlers fill the command's fields. */
    void declare(Syntax syntax);

    /** Runs the command once its command line has been parsed; returns the exit code. */
    int run(Invocation invocation) throws Exception;
}
