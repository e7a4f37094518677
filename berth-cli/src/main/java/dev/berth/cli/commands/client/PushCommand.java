package dev.berth.cli.commands.client;

import dev.berth.cli.args.Syntax;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.oci.Reference;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;

/** {@code berth push REF [DEST]}: a stored image to a registry. */
public final class PushCommand extends ClientCommand {
    private String reference;
    private String destination;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Upload an image from the local store to a registry.",
                        "Blobs the registry already has are skipped, blobs it has in another repository are mounted, and the "
                                + "manifests go last, so nobody sees a half-pushed image.")
                .parameter("REF", "The stored image to push (see 'berth images').", value -> reference = value)
                .optionalParameter("DEST", "Where to push it, e.g. registry.example.org/team/tool:1.2 (default: REF's own name).",
                        value -> destination = value);
        declareFlags(syntax);
    }

    @Override
    protected int run() throws IOException {
        String target = destination != null ? destination : reference;
        Reference image = Reference.parse(target.startsWith("docker://") ? target.substring("docker://".length()) : target);
        return transfer(new ImageLocation.Store(reference), new ImageLocation.Registry(image),
                PlatformChoice.ALL, "Pushing", "Pushed", "Pushed");
    }
}
