package dev.berth.cli.commands;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

/** {@code berth load}: a docker-archive from standard input or a file into the store, as {@code docker load}. */
public final class LoadCommand implements Subcommand {
    private String input = "-";
    private boolean quiet;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Add the images of a docker-archive (docker save, berth save) or an OCI layout to the local store.",
                        "Reads standard input unless -i names a file; the same as 'berth import PATH'.")
                .option("-i, --input", "FILE", "Read FILE instead of standard input.", value -> input = value)
                .flag("-q, --quiet", "Print only the digests of the loaded images.", () -> quiet = true);
    }

    @Override
    public int run(Invocation invocation) throws Exception {
        return ImportCommand.reading(input, quiet).run(invocation);
    }
}
