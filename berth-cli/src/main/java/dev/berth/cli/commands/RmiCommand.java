package dev.berth.cli.commands;

import dev.berth.cli.ExitCodes;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code berth rmi}: remove names from the local store. A digest removes every name of that
 * image. The content stays until {@code berth prune}, so an interrupted rmi loses nothing.
 */
public final class RmiCommand extends StoreCommand {
    private final List<String> references = new ArrayList<>();
    private boolean force;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Remove images from the local store by name or digest.", "Their content is freed by 'berth prune'.")
                .parameters("REF", "Image names, name@digest, or digests (prefixes).", references::add)
                .flag("-f, --force", "Succeed even for images that are not there (a digest already removes every name of its image).",
                        () -> force = true);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        int failures = 0;
        for (String reference : references) {
            Optional<ImageRecord> found = store.find(reference);
            if (found.isEmpty() && force) {
                continue;
            }
            if (found.isEmpty()) {
                err().println("berth: no image \"" + reference + "\" in the local store");
                failures++;
                continue;
            }
            for (ImageRecord record : namesToRemove(store, reference, found.get())) {
                if (store.untag(record.name())) {
                    out().println("Untagged: " + record.name().familiarString());
                }
            }
        }
        return failures == 0 ? 0 : ExitCodes.ERROR;
    }

    /** A name removes itself; a bare digest removes every name pointing at it. */
    private static List<ImageRecord> namesToRemove(LocalStore store, String reference, ImageRecord found) throws IOException {
        boolean byDigest = reference.matches("(sha256:)?[a-f0-9]{12,64}");
        if (!byDigest) {
            return List.of(found);
        }
        return store.images().stream().filter(r -> r.root().digest().equals(found.root().digest())).toList();
    }
}
