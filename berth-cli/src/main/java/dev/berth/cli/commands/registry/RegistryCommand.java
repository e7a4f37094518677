package dev.berth.cli.commands.registry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth registry ...}: maintenance of a registry's storage. */
@Command(name = "registry", mixinStandardHelpOptions = true, description = "Maintain the storage of a berth registry.",
        subcommands = {GcCommand.class})
public final class RegistryCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
