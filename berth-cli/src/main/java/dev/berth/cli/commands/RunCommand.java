package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ImageMetadata;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code berth run}: the image's entrypoint and command, as Docker runs them, but as you. */
public final class RunCommand extends ContainerCommand {
    private final ContainerFlags flags = new ContainerFlags();
    private final List<String> arguments = new ArrayList<>();
    private String reference;
    private String entrypoint;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Run an image's ENTRYPOINT and CMD as yourself; ARGS replace the CMD.",
                        "Exits with the container's exit code. berth's options go before REF.",
                        "See docs/runtime.md for what the container sees.")
                .parameter("REF", REFERENCE_HELP, value -> reference = value)
                .rest("ARGS", "Arguments that replace the image's CMD.", false, arguments::add)
                .option("--entrypoint", "PROGRAM", "Run PROGRAM instead of the image's ENTRYPOINT (the CMD is then dropped); \"\" clears it.",
                        value -> entrypoint = value);
        flags.declare(syntax);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        return runContainer(reference, store, flags, config -> command(config, entrypoint, arguments));
    }

    /** What Docker runs: the entrypoint ({@code entrypoint} replacing the image's; "" clears it), then ARGS or else the CMD. */
    static List<String> command(ImageMetadata config, String entrypoint, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (entrypoint != null) {
            if (!entrypoint.isEmpty()) {
                command.add(entrypoint);
            }
        } else if (config.entrypoint() != null) {
            command.addAll(config.entrypoint());
        }
        if (!arguments.isEmpty()) {
            command.addAll(arguments);
        } else if (entrypoint == null && config.cmd() != null) {
            command.addAll(config.cmd());
        }
        return command;
    }
}
