package dev.berth.cli.commands;

import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ContainerRunner;
import dev.berth.runtime.ImageCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;

/** {@code berth exec}: one command inside an image, as you (Singularity's exec). */
@Command(name = "exec", mixinStandardHelpOptions = true, description = {"Run COMMAND inside an image as yourself, ignoring its ENTRYPOINT and CMD.",
                "Exits with the command's exit code."})
public final class ExecCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "REF", preprocessor = ReferenceThenContainerArguments.class,
            description = "An image in the local store (pulled first when absent), or an image file from 'berth convert'.")
    private String reference;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The program and its arguments.")
    private List<String> command;

    @Mixin
    private ContainerFlags flags;

    @Override
    protected boolean needsArguments() {
        return true;
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        ImageCache cache = cache(flags.sharedCache);
        return new ContainerRunner(cache, System.getenv()).run(resolve(reference, store, cache), flags.toOptions(),
                config -> command);
    }
}
