package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;

/** {@code berth tag}: give a stored image another name. */
public final class TagCommand extends StoreCommand {
    private String source;
    private String target;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Give an image in the local store another name.")
                .parameter("SOURCE", "The image to name.", value -> source = value)
                .parameter("TARGET", "The new NAME[:TAG].", value -> target = value);
    }

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
