package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.output.Terminals;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.Platform;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code berth save}: images of the store as one docker-archive, to a file or standard output, as {@code docker save}. */
public final class SaveCommand extends StoreCommand {
    private final List<String> references = new ArrayList<>();
    private String output;
    private String platform;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Write images from the local store as one docker-archive tar (what docker load and berth load read).",
                        "Without -o the archive goes to standard output, which must not be a terminal.")
                .parameters("IMAGE", "Images to save, by name or digest.", references::add)
                .option("-o, --output", "FILE", "Write to FILE (replaced only once the archive is complete); - for standard output.",
                        value -> output = value)
                .option("--platform", "OS/ARCH[/VARIANT]", "From multi-platform images, this platform (default: this machine's).",
                        value -> platform = value);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        String file = output == null ? ImageLocation.DockerArchiveFile.STANDARD_OUTPUT : output;
        ImageLocation.DockerArchiveFile target = new ImageLocation.DockerArchiveFile(Path.of(file), null);
        if (target.toStandardOutput() && Terminals.isTerminal(Terminals.STANDARD_OUTPUT)) {
            throw new UsageException("refusing to write an archive to a terminal: give -o FILE, or redirect standard output");
        }
        PlatformChoice platforms = platform == null ? PlatformChoice.ALL : PlatformChoice.only(Platform.parse(platform));
        ImageTransfer.onThisMachine(() -> store).exportAll(references, target, platforms);
        return 0;
    }
}
