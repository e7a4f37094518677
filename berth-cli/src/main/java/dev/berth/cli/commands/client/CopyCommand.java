package dev.berth.cli.commands.client;

import dev.berth.distribution.copy.ImageLocation;
import dev.berth.oci.transfer.PlatformChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** {@code berth copy SRC DST}: any image location to any other. */
@Command(name = "copy", mixinStandardHelpOptions = true, description = {"Copy an image between any two locations:",
        "  docker://REF                a registry",
        "  oci:DIR[:TAG]               an OCI image layout directory",
        "  docker-archive:FILE[:REF]   a 'docker save' tar",
        "  berth:REF                   the local store (berth: alone keeps the source's name)",
        "Only blobs the destination lacks are moved, and every one is verified."})
public final class CopyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "SRC", description = "Where the image is.")
    private String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Where it should go.")
    private String destination;

    @Override
    public Integer call() throws IOException {
        return transfer(ImageLocation.parse(source), ImageLocation.parse(destination), PlatformChoice.host(),
                "Copying", "Copied", "Copied");
    }
}
