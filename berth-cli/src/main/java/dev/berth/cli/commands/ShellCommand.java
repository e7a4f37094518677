package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.util.List;

/** {@code berth shell}: an interactive shell inside an image, as you. */
public final class ShellCommand extends ContainerCommand {
    /** Chosen inside the container, where the image's PATH decides what "bash" is. */
    private static final List<String> SHELL = List.of("/bin/sh", "-c",
            "if command -v bash >/dev/null 2>&1; then exec bash \"$@\"; fi; exec sh \"$@\"", "sh");

    private final ContainerFlags flags = new ContainerFlags();
    private String reference;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Start an interactive shell inside an image: bash when the image has it, else sh.")
                .parameter("REF", REFERENCE_HELP, value -> reference = value);
        flags.declare(syntax);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        return runContainer(reference, store, flags, config -> SHELL);
    }
}
