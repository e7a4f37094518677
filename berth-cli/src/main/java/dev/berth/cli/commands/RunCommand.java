package dev.berth.cli.commands;

import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ContainerRunner;
import dev.berth.runtime.ImageCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code berth run}: the image's entrypoint and command, as Docker runs them, but as you. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {"Run an image's ENTRYPOINT and CMD as yourself; ARGS replace the CMD.",
                "Exits with the container's exit code. See docs/runtime.md for what the container sees."})
public final class RunCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "REF", preprocessor = ReferenceThenContainerArguments.class,
            description = "An image in the local store (pulled first when absent), or an image file from 'berth convert'.")
    private String reference;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments that replace the image's CMD.")
    private List<String> arguments = new ArrayList<>();

    @Option(names = "--entrypoint", paramLabel = "PROGRAM", description = "Run PROGRAM instead of the image's ENTRYPOINT (the CMD is then dropped).")
    private String entrypoint;

    @Mixin
    private ContainerFlags flags;

    @Override
    protected int run(LocalStore store) throws IOException {
        ImageCache cache = cache(flags.sharedCache);
        return new ContainerRunner(cache, System.getenv()).run(resolve(reference, store, cache), flags.toOptions(), config -> {
            List<String> command = new ArrayList<>();
            if (entrypoint != null) {
                command.add(entrypoint);
            } else if (config.entrypoint() != null) {
                command.addAll(config.entrypoint());
            }
            if (!arguments.isEmpty()) {
                command.addAll(arguments);
            } else if (entrypoint == null && config.cmd() != null) {
                command.addAll(config.cmd());
            }
            return command;
        });
    }
}
