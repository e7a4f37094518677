package dev.berth.cli.commands.client;

import dev.berth.cli.BerthCommand;
import dev.berth.distribution.Registries;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.PlatformChoice;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that moves images to, from or between registries. */
abstract class ClientCommand implements Callable<Integer> {
    @ParentCommand
    private BerthCommand berth;

    @Spec
    private CommandSpec spec;

    @Mixin
    RegistryFlags registryFlags = new RegistryFlags();

    @Mixin
    TransferFlags transferFlags = new TransferFlags();

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Copies with a progress display; prints the digest alone when quiet, else {@code summary}
     * followed by the digest.
     */
    protected int transfer(ImageLocation from, ImageLocation to, PlatformChoice defaultPlatforms,
                           String activeVerb, String doneVerb, String summary) throws IOException {
        ProgressDisplay progress = new ProgressDisplay(out(), ProgressDisplay.modeFor(transferFlags.quiet),
                activeVerb, doneVerb);
        ImageTransfer.Result result;
        try (Registries registries = registryFlags.registries()) {
            ImageTransfer transfer = new ImageTransfer(registries, berth::store,
                    new ImageCopier(transferFlags.jobs(), progress));
            result = transfer.copy(from, to, transferFlags.platforms(defaultPlatforms));
        }
        out().println(transferFlags.quiet ? result.root().digest().toString()
                : summary + " " + result.name() + " (" + result.root().digest() + ")");
        return 0;
    }
}
