package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.instance.InstanceEntry;
import dev.berth.runtime.instance.Instances;
import dev.berth.runtime.sandbox.Caller;
import dev.berth.runtime.sandbox.ContainerOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code berth exec}: one command inside an image, as you (Singularity's exec). */
public final class ExecCommand extends ContainerCommand {
    private final ContainerFlags flags = new ContainerFlags();
    private final List<String> command = new ArrayList<>();
    private String reference;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Run COMMAND inside an image as yourself, ignoring its ENTRYPOINT and CMD.",
                        "Exits with the command's exit code. berth's options go before REF.")
                .parameter("REF", REFERENCE_HELP + " Or instance://NAME: run COMMAND inside that running instance.",
                        value -> reference = value)
                .rest("COMMAND", "The program and its arguments.", true, command::add);
        flags.declare(syntax);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        Optional<String> instance = InstanceEntry.instanceName(reference);
        if (instance.isPresent()) {
            return execInInstance(instance.get());
        }
        return runContainer(reference, store, flags, config -> command);
    }

    /** {@code instance://NAME}: the command joins the running instance; of the flags, its environment and --pwd apply. */
    private int execInInstance(String name) throws IOException {
        Map<String, String> host = System.getenv();
        Instances.Instance instance = Instances.of(host, Caller.current(host)).find(name).orElseThrow(() ->
                new BerthException("INSTANCE_UNKNOWN", "no instance named " + name + " is running (see berth instance list)"));
        ContainerOptions options = flags.toOptions();
        try {
            return InstanceEntry.exec(instance, command, options.environment(), Optional.ofNullable(options.workingDirectory()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the command ran in instance " + name, e);
        }
    }
}
