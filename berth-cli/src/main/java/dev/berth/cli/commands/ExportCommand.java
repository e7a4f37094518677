package dev.berth.cli.commands;

import dev.berth.oci.BerthException;
import dev.berth.oci.Platform;
import dev.berth.oci.archive.DockerArchiveWriter;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.ImageSink;
import dev.berth.oci.transfer.PlatformChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/** {@code berth export}: a stored image to an OCI layout directory or a docker-archive tar. */
@Command(name = "export", mixinStandardHelpOptions = true, description = {"Write an image from the local store to an OCI layout directory or a docker-archive tar.",
        "The format follows PATH: a name ending in .tar is a docker-archive, anything else an OCI layout."})
public final class ExportCommand extends StoreCommand {
    enum Format { oci, docker_archive }

    @Parameters(index = "0", paramLabel = "REF", description = "The image to export.")
    private String reference;

    @Parameters(index = "1", paramLabel = "PATH", description = "Target directory (oci) or file (docker-archive).")
    private Path path;

    @Option(names = "--format", paramLabel = "oci|docker-archive", converter = FormatConverter.class,
            description = "oci or docker-archive (default: from PATH).")
    private Format format;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "From a multi-platform image, export only this platform (a docker-archive always holds one; default: this machine's).")
    private String platform;

    @Override
    protected int run(LocalStore store) throws IOException {
        ImageRecord image = store.require(reference);
        Format chosen = format != null ? format : path.getFileName().toString().endsWith(".tar") ? Format.docker_archive : Format.oci;
        PlatformChoice platforms = platform != null ? PlatformChoice.only(Platform.parse(platform))
                : chosen == Format.docker_archive ? PlatformChoice.host() : PlatformChoice.ALL;
        try (ImageSink sink = chosen == Format.oci ? OciLayoutWriter.create(path) : DockerArchiveWriter.create(path)) {
            ManifestBytes root = new ImageCopier().copy(store, image.root(), platforms, sink);
            sink.tag(image.name(), root);
            sink.commit();
            out().println("Exported " + image.name().familiarString() + " (" + root.digest() + ") to " + path);
        }
        return 0;
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value) {
                case "oci" -> Format.oci;
                case "docker-archive" -> Format.docker_archive;
                default -> throw new BerthException("USAGE", "unknown format \"" + value + "\": use oci or docker-archive");
            };
        }
    }
}
