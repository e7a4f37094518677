package dev.berth.cli.commands;

import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** {@code berth tag}: give a stored image another name. */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Give an image in the local store another name.")
public final class TagCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "The image to name.")
    private String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new NAME[:TAG].")
    private String target;

    @Override
    protected int run(LocalStore store) throws IOException {
        ImageRecord image = store.require(source);
        Reference name = Reference.parse(target);
        if (name.digest().isPresent()) {
            throw new BerthException("INVALID_REFERENCE", "cannot tag as \"" + target + "\": a new name cannot contain a digest");
        }
        store.tag(name, image.root());
        return 0;
    }
}
