package dev.berth.cli.commands.client;

import dev.berth.cli.args.Syntax;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;

/** {@code berth copy SRC DST}: any image location to any other. */
public final class CopyCommand extends ClientCommand {
    private String source;
    private String destination;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Copy an image between any two locations:",
                        "  docker://REF                a registry",
                        "  oci:DIR[:TAG]               an OCI image layout directory",
                        "  docker-archive:FILE[:REF]   a 'docker save' tar",
                        "  berth:REF                   the local store (berth: alone keeps the source's name)",
                        "Only blobs the destination lacks are moved, and every one is verified.")
                .parameter("SRC", "Where the image is.", value -> source = value)
                .parameter("DST", "Where it should go.", value -> destination = value);
        declareFlags(syntax);
    }

    @Override
    protected int run() throws IOException {
        return transfer(ImageLocation.parse(source), ImageLocation.parse(destination), PlatformChoice.host(),
                "Copying", "Copied", "Copied");
    }
}
