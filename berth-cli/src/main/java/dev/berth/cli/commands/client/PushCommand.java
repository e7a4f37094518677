package dev.berth.cli.commands.client;

import dev.berth.distribution.copy.ImageLocation;
import dev.berth.oci.Reference;
import dev.berth.oci.transfer.PlatformChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** {@code berth push REF [DEST]}: a stored image to a registry. */
@Command(name = "push", mixinStandardHelpOptions = true, description = {"Upload an image from the local store to a registry.",
        "Blobs the registry already has are skipped, blobs it has in another repository are mounted, and the",
        "manifests go last, so nobody sees a half-pushed image."})
public final class PushCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "The stored image to push (see 'berth images').")
    private String reference;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
            description = "Where to push it, e.g. registry.example.org/team/tool:1.2 (default: REF's own name).")
    private String destination;

    @Override
    public Integer call() throws IOException {
        String target = destination != null ? destination : reference;
        Reference image = Reference.parse(target.startsWith("docker://") ? target.substring("docker://".length()) : target);
        return transfer(new ImageLocation.Store(reference), new ImageLocation.Registry(image),
                PlatformChoice.ALL, "Pushing", "Pushed", "Pushed");
    }
}
