package dev.berth.cli.commands;

import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ContainerRunner;
import dev.berth.runtime.ImageCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;

/** {@code berth shell}: an interactive shell inside an image, as you. */
@Command(name = "shell", mixinStandardHelpOptions = true, description = "Start an interactive shell inside an image: bash when the image has it, else sh.")
public final class ShellCommand extends ContainerCommand {
    /** Chosen inside the container, where the image's PATH decides what "bash" is. */
    private static final List<String> SHELL = List.of("/bin/sh", "-c",
            "if command -v bash >/dev/null 2>&1; then exec bash \"$@\"; fi; exec sh \"$@\"", "sh");

    @Parameters(index = "0", paramLabel = "REF", preprocessor = ReferenceThenContainerArguments.class,
            description = "An image in the local store (pulled first when absent), or an image file from 'berth convert'.")
    private String reference;

    @Mixin
    private ContainerFlags flags;

    @Override
    protected int run(LocalStore store) throws IOException {
        ImageCache cache = cache(flags.sharedCache);
        return new ContainerRunner(cache, System.getenv()).run(resolve(reference, store, cache), flags.toOptions(),
                config -> SHELL);
    }
}
