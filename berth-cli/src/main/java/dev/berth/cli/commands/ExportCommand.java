package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.Platform;
import dev.berth.oci.WriteTarget;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code berth export}: a stored image to an OCI layout directory or a docker-archive tar. */
public final class ExportCommand extends StoreCommand {
    enum Format { oci, docker_archive }

    private String reference;
    private Path path;
    private Format format;
    private String platform;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Write an image from the local store to an OCI layout directory or a docker-archive tar.",
                        "The format follows PATH: a name ending in .tar, or a device or pipe such as /dev/stdout, is a docker-archive"
                                + " (streamed to a device or pipe); anything else an OCI layout.")
                .parameter("REF", "The image to export.", value -> reference = value)
                .parameter("PATH", "Target directory (oci) or file (docker-archive); - for standard output (a docker-archive).",
                        value -> path = Path.of(value))
                .option("--format", "oci|docker-archive", "oci or docker-archive (default: from PATH).",
                        value -> format = parseFormat(value))
                .option("--platform", "OS/ARCH[/VARIANT]",
                        "From a multi-platform image, export only this platform (a docker-archive always holds one; default: this machine's).",
                        value -> platform = value);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        boolean toStandardOutput = path.toString().equals(ImageLocation.DockerArchiveFile.STANDARD_OUTPUT);
        if (toStandardOutput && format == Format.oci) {
            throw new UsageException("an OCI layout is a directory and cannot go to standard output; use --format docker-archive");
        }
        // a device or pipe (/dev/stdout) can only take a stream, which an OCI layout directory is not
        boolean streamed = toStandardOutput || WriteTarget.of(path).kind() == WriteTarget.Kind.STREAM;
        Format chosen = format != null ? format
                : path.getFileName().toString().endsWith(".tar") || streamed ? Format.docker_archive : Format.oci;
        ImageLocation target = chosen == Format.oci ? new ImageLocation.OciDirectory(path, null)
                : new ImageLocation.DockerArchiveFile(path, null);
        PlatformChoice platforms = platform != null ? PlatformChoice.only(Platform.parse(platform)) : PlatformChoice.ALL;
        ImageTransfer.Result exported = ImageTransfer.onThisMachine(() -> store).exportAll(List.of(reference), target, platforms)
                .getFirst();
        // the archive may be going to standard output; the note must not land inside it
        (streamed ? err() : out()).println("Exported " + exported.name().familiarString() + " (" + exported.root().digest()
                + ") to " + path);
        return 0;
    }

    private static Format parseFormat(String value) {
        return switch (value) {
            case "oci" -> Format.oci;
            case "docker-archive" -> Format.docker_archive;
            default -> throw new UsageException("unknown format \"" + value + "\": use oci or docker-archive");
        };
    }
}
