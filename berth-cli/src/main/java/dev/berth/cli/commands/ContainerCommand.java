package dev.berth.cli.commands;

import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.runtime.ContainerRunner;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageConverter;
import dev.berth.runtime.ImageFile;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What run, exec, shell and convert share: finding the image REF names, as a runnable file.
 * Options stop at the first positional argument, so that {@code berth exec IMG ls -l} passes
 * {@code -l} to ls.
 */
abstract class ContainerCommand extends StoreCommand {
    /** Makes options end at REF for every command of this kind. */
    public static final class StopAtPositional implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().stopAtPositional(true);
            return spec;
        }
    }

    protected static ImageCache cache(Path sharedCache) {
        return ImageCache.fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), sharedCache);
    }

    /**
     * The image file for REF: a path to an image file, or an image of the local store converted
     * (once, then from the cache). The single place to add pulling an absent image from a registry.
     */
    protected static ImageFile resolve(String reference, LocalStore store, ImageCache cache) throws IOException {
        Path asFile = Path.of(reference);
        if (Files.isRegularFile(asFile)) {
            return ImageFile.open(asFile);
        }
        ResolvedReferences resolved = new ResolvedReferences(cache.userDirectory().resolve("references"),
                store.root().resolve("refs.json"));
        Optional<Path> converted = resolved.find(reference).flatMap(root -> cache.find(root.digest()));
        if (converted.isPresent()) {
            return ImageFile.open(converted.get());
        }
        ImageRecord record = store.require(reference);
        if (!MediaType.isIndex(record.root().mediaType())) {
            // converted before: start without parsing manifest or config (the file carries what a run needs)
            converted = cache.find(record.root().digest());
            if (converted.isPresent()) {
                resolved.remember(reference, record.root());
                return ImageFile.open(converted.get());
            }
        }
        ManifestBytes root = store.manifest(record.root());
        ManifestBytes image = root;
        if (root.isIndex()) {
            Descriptor chosen = ImageCopier.choose(root, Platform.host());
            image = store.manifest(chosen);
        }
        String name = record.name().toString();
        ContainerRunner.requireRunnableHere(ImageConfig.parse(store.readBlob(image.manifest().config().digest())).platform(), name);
        return ImageFile.open(new ImageConverter(store, cache).squashfs(name, image));
    }
}
