package dev.berth.runtime;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns the REF that run, exec, shell, convert and check name into the image file to use: a path
 * to an image file as it is, or an image of the local store converted once, then taken from the
 * cache. The runtime reaches no registry, so the caller says how an image the store lacks is
 * pulled ({@link Puller}) and what the execution policy allows ({@link Policy}); the policy is
 * asked before anything is converted, as is the platform check.
 */
public final class ImageResolver {
    /** Brings an image that the local store lacks into it, as {@code docker run} does. */
    @FunctionalInterface
    public interface Puller {
        void pull(String reference) throws IOException;
    }

    /** The execution policy: each check returns when the image may run and throws, naming the rule, when not. */
    public interface Policy {
        /** For the commands that use an image without running it (convert, check, build). */
        Policy NONE = new Policy() {
            @Override
            public void requireFile(Path file) {
            }

            @Override
            public void requireImage(Reference name, Digest digest) {
            }
        };

        void requireFile(Path file) throws IOException;

        void requireImage(Reference name, Digest digest) throws IOException;
    }

    private final LocalStore store;
    private final ImageCache cache;
    private final Puller puller;
    private final Policy policy;

    public ImageResolver(LocalStore store, ImageCache cache, Puller puller, Policy policy) {
        this.store = store;
        this.cache = cache;
        this.puller = puller;
        this.policy = policy;
    }

    /** The image file for {@code reference}: a path to an image file, or an image of the local store (pulled first when absent). */
    public ImageFile resolve(String reference) throws IOException {
        Path asFile = Path.of(reference);
        if (Files.isRegularFile(asFile)) {
            policy.requireFile(asFile);
            return ImageFile.open(asFile);
        }
        ResolvedReferences resolved = new ResolvedReferences(cache.userDirectory().resolve("references"), store.namesFile());
        Optional<Descriptor> remembered = resolved.find(reference);
        Optional<ImageFile> converted = remembered.isPresent() ? cache.find(remembered.get().digest()) : Optional.empty();
        if (converted.isPresent()) {
            // a run's fast path: neither the store's name list nor a manifest is read
            policy.requireImage(Reference.parse(reference), remembered.get().digest());
            return converted.get();
        }
        ImageRecord record = fromStore(reference);
        if (!MediaType.isIndex(record.root().mediaType())) {
            // converted before: start without parsing manifest or config (the cache keeps what a run needs)
            converted = cache.find(record.root().digest());
            if (converted.isPresent()) {
                resolved.remember(reference, record.root());
                return converted.get();
            }
        }
        return new ImageConverter(store, cache).cached(record.name().toString(), platformImage(record));
    }

    /**
     * Writes {@code reference} to {@code target} as one image file that carries its metadata and
     * runs anywhere: an image file as it is, or an image of the local store converted on its own.
     */
    public void writeImageFile(String reference, Path target, boolean executable) throws IOException {
        Path asFile = Path.of(reference);
        if (Files.isRegularFile(asFile)) {
            policy.requireFile(asFile);
            ImageFile.write(ImageFile.open(asFile), target, executable);
            return;
        }
        ImageRecord record = fromStore(reference);
        ManifestBytes image = platformImage(record);
        Path absolute = target.toAbsolutePath();
        try (ScratchDirectory scratch = ScratchDirectory.create(absolute.getParent(), absolute.getFileName().toString())) {
            Path squashfs = scratch.path().resolve("image.sqfs");
            new ImageConverter(store, cache).writeImageFile(record.name().toString(), image, squashfs);
            ImageFile.write(ImageFile.open(squashfs), absolute, executable);
        }
    }

    /** The store's record of {@code reference}, pulled first when the store lacks it, once the policy allows it. */
    private ImageRecord fromStore(String reference) throws IOException {
        if (store.find(reference).isEmpty()) {
            puller.pull(reference);
        }
        ImageRecord record = store.require(reference);
        policy.requireImage(record.name(), record.root().digest());
        return record;
    }

    /** The record's image for this machine, refusing one for another platform before anything is converted. */
    private ManifestBytes platformImage(ImageRecord record) throws IOException {
        ManifestBytes image = store.manifest(record.root());
        if (image.isIndex()) {
            image = store.manifest(ImageCopier.choose(image, Platform.host()));
        }
        ContainerRunner.requireRunnableHere(ImageConfig.parse(store.readBlob(image.manifest().config().digest())).platform(),
                record.name().toString());
        return image;
    }
}
