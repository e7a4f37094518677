package dev.berth.cli.commands.client;

import dev.berth.cli.args.Syntax;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.oci.Reference;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;

/** {@code berth pull REF}: a registry image into the local store. */
public final class PullCommand extends ClientCommand {
    private String reference;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Download an image from a registry into the local store.",
                        "A multi-platform image resolves to this machine's platform unless --platform or --all-platforms says otherwise.",
                        "Layers already in the store are not downloaded again; every blob is verified before it is kept.")
                .parameter("REF", "The image, e.g. busybox, ghcr.io/org/tool:1.2 or registry.example.org/x@sha256:...",
                        value -> reference = value);
        declareFlags(syntax);
    }

    @Override
    protected int run() throws IOException {
        Reference image = Reference.parse(reference);
        return transfer(new ImageLocation.Registry(image), new ImageLocation.Store(image.toString()),
                PlatformChoice.host(), "Downloading", "Downloaded", "Pulled");
    }
}
