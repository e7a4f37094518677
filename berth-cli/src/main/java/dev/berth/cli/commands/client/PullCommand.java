package dev.berth.cli.commands.client;

import dev.berth.distribution.copy.ImageLocation;
import dev.berth.oci.Reference;
import dev.berth.oci.transfer.PlatformChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** {@code berth pull REF}: a registry image into the local store. */
@Command(name = "pull", mixinStandardHelpOptions = true, description = {"Download an image from a registry into the local store.",
        "A multi-platform image resolves to this machine's platform unless --platform or --all-platforms says otherwise.",
        "Layers already in the store are not downloaded again; every blob is verified before it is kept."})
public final class PullCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "The image, e.g. busybox, ghcr.io/org/tool:1.2 or registry.example.org/x@sha256:...")
    private String reference;

    @Override
    public Integer call() throws IOException {
        Reference image = Reference.parse(reference);
        return transfer(new ImageLocation.Registry(image), new ImageLocation.Store(image.toString()),
                PlatformChoice.host(), "Downloading", "Downloaded", "Pulled");
    }
}
