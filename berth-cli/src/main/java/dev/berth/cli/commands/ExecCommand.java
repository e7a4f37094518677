package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code berth exec}: one command inside an image, as you (Singularity's exec). */
public final class ExecCommand extends ContainerCommand {
    private final ContainerFlags flags = new ContainerFlags();
    private final List<String> command = new ArrayList<>();
    private String reference;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Run COMMAND inside an image as yourself, ignoring its ENTRYPOINT and CMD.",
                        "Exits with the command's exit code. berth's options go before REF.")
                .parameter("REF", REFERENCE_HELP, value -> reference = value)
                .rest("COMMAND", "The program and its arguments.", true, command::add);
        flags.declare(syntax);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        return runContainer(reference, store, flags, config -> command);
    }
}
