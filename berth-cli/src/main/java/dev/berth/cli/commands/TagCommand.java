package dev.berth.cli.commands;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.commands.access.TagRestore;
import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;

/** {@code berth tag}: give a stored image another name, or ({@code --restore}) move a registry tag back in time. */
public final class TagCommand implements Subcommand {
    private final TagRestore restore = new TagRestore();
    private String restoreTarget;
    private String source;
    private String target;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Give an image in the local store another name, or with --restore point a tag on a berth registry",
                        "back at an earlier image (see berth tags --history).")
                .optionalParameter("SOURCE", "The image to name.", value -> source = value)
                .optionalParameter("TARGET", "The new NAME[:TAG].", value -> target = value)
                .option("--restore", "HOST/REPO:TAG@DIGEST|@TIME|@AGE", "Move the registry tag back to the image it pointed at"
                        + " (that digest, at that time, or that long ago: 2h, 7d).", value -> restoreTarget = value);
        restore.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        if (restoreTarget != null) {
            if (source != null) {
                throw new UsageException("--restore moves a registry tag: give no SOURCE or TARGET with it");
            }
            restore.run(restoreTarget, invocation.out());
            return 0;
        }
        if (source == null || target == null) {
            throw new UsageException("berth tag needs SOURCE and TARGET (or --restore HOST/REPO:TAG@WHEN)");
        }
        LocalStore store = invocation.store();
        ImageRecord image = store.require(source);
        Reference name = Reference.parse(target);
        if (name.digest().isPresent()) {
            throw new BerthException("INVALID_REFERENCE", "cannot tag as \"" + target + "\": a new name cannot contain a digest");
        }
        store.tag(name, image.root());
        return 0;
    }
}
