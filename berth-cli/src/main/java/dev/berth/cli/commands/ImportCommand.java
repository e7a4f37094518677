package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.BerthException;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code berth import}: an OCI layout directory or a docker-archive tar into the local store. */
public final class ImportCommand extends StoreCommand {
    private String path;
    private String name;
    private String platform;
    private boolean quiet;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Add the images in an OCI image layout directory or a docker-archive tar to the local store.",
                        "Every blob is verified against its digest; on any error the store is left as it was.")
                .parameter("PATH", "An OCI layout directory or a docker-archive tar file; - for standard input.", value -> path = value)
                .option("--name", "NAME[:TAG]", "Name for the imported image (default: the names recorded in PATH).",
                        value -> name = value)
                .option("--platform", "OS/ARCH[/VARIANT]",
                        "From a multi-platform image, import only this platform (default: all it holds).", value -> platform = value)
                .flag("-q, --quiet", "Print only the digests of the imported images.", () -> quiet = true);
    }

    /** {@code berth load}: the same import, from {@code path} or standard input ({@code -}). */
    static ImportCommand reading(String path, boolean quiet) {
        ImportCommand load = new ImportCommand();
        load.path = path;
        load.quiet = quiet;
        return load;
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        PlatformChoice platforms = platform == null ? PlatformChoice.ALL : PlatformChoice.only(Platform.parse(platform));
        Reference explicitName = name == null ? null : Reference.parse(name);
        try (SeekableInput input = SeekableInput.of(path, store.root().resolve("tmp"))) {
            Path source = input.path();
            if (!Files.exists(source)) {
                throw new BerthException("NOT_FOUND", "cannot import " + source + ": no such file or directory");
            }
            ImageLocation location = Files.isDirectory(source) ? new ImageLocation.OciDirectory(source, null)
                    : new ImageLocation.DockerArchiveFile(source, null);
            for (ImageTransfer.Result loaded : ImageTransfer.onThisMachine(() -> store).importAll(location, explicitName, platforms)) {
                out().println(quiet ? loaded.root().digest().toString()
                        : "Loaded image: " + loaded.name().familiarString() + " (" + loaded.root().digest() + ")");
            }
        }
        return 0;
    }
}
