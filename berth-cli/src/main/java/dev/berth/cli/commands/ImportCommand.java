package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.archive.DockerArchive;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayout;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.store.StoreTransaction;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.ImageSource;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** An image in the source and the name it will get. */
    private record Planned(Reference name, Descriptor root) {
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
            return importFrom(input.path(), store, platforms, explicitName);
        }
    }

    private int importFrom(Path path, LocalStore store, PlatformChoice platforms, Reference explicitName) throws IOException {
        if (!Files.exists(path)) {
            throw new BerthException("NOT_FOUND", "cannot import " + path + ": no such file or directory");
        }
        try (ImageSource source = openSource(path)) {
            List<Planned> planned = plan(source, explicitName, path);
            ImageCopier copier = new ImageCopier();
            List<String> report = new ArrayList<>();
            try (StoreTransaction transaction = store.begin()) {
                for (Planned image : planned) {
                    ManifestBytes root = copier.copy(source, image.root(), platforms, transaction);
                    transaction.tag(image.name(), root);
                    report.add(quiet ? root.digest().toString()
                            : "Loaded image: " + image.name().familiarString() + " (" + root.digest() + ")");
                }
                transaction.commit();
            }
            report.forEach(out()::println);
        }
        return 0;
    }

    private static ImageSource openSource(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return OciLayout.open(path);
        }
        return DockerArchive.open(path);
    }

    private static List<Planned> plan(ImageSource source, Reference explicitName, Path path) {
        List<Planned> planned = new ArrayList<>();
        if (source instanceof OciLayout layout) {
            String fallback = explicitName != null ? explicitName.toString() : defaultNameFor(path);
            for (Descriptor entry : layout.entries()) {
                planned.add(new Planned(explicitName != null ? explicitName : OciLayout.nameOf(entry, fallback), entry));
            }
        } else if (source instanceof DockerArchive archive) {
            for (DockerArchive.ArchivedImage image : archive.images()) {
                Descriptor root = image.manifest().descriptor();
                if (explicitName != null) {
                    planned.add(new Planned(explicitName, root));
                } else if (image.repoTags().isEmpty()) {
                    throw new BerthException("NAME_REQUIRED", path + " holds an image without a name; give one with --name NAME[:TAG]");
                } else {
                    image.repoTags().forEach(tag -> planned.add(new Planned(Reference.parse(tag), root)));
                }
            }
        }
        if (planned.isEmpty()) {
            throw new BerthException("IMAGE_INVALID", path + " holds no images");
        }
        if (explicitName != null && planned.size() > 1) {
            throw new BerthException("NAME_AMBIGUOUS", path + " holds " + planned.size()
                    + " images; --name can name only one (leave it out to keep their own names)");
        }
        return planned;
    }

    /** An unnamed layout's images are named after its directory, as {@code docker load} falls back to an id. */
    private static String defaultNameFor(Path layoutDir) {
        String base = layoutDir.toAbsolutePath().normalize().getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        return base.isEmpty() ? "imported" : base;
    }
}
