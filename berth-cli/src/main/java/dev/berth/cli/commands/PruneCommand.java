package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Human;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;

/** {@code berth prune}: delete content that no image name reaches. */
public final class PruneCommand extends StoreCommand {
    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Delete blobs that no image in the local store references.",
                "Waits for imports running at the same time to finish first.");
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        LocalStore.PruneResult result = store.prune();
        out().println("Deleted " + result.blobsRemoved() + " blobs, reclaimed " + Human.size(result.bytesRemoved()));
        return 0;
    }
}
