package dev.berth.distribution.copy;

import dev.berth.distribution.Registries;
import dev.berth.distribution.RegistrySink;
import dev.berth.distribution.RegistrySource;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Reference;
import dev.berth.oci.archive.DockerArchive;
import dev.berth.oci.archive.DockerArchiveWriter;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayout;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.ImageSink;
import dev.berth.oci.transfer.ImageSource;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code copy(source, sink)} between any two {@link ImageLocation}s: pull, push, import, export
 * and copy are all this. Only blobs the destination lacks move; the destination shows the image
 * only once all of it is there.
 */
public final class ImageTransfer {
    private final Registries registries;
    private final StoreOpener store;
    private final ImageCopier copier;

    /** Opens the local store only when a location needs it. */
    @FunctionalInterface
    public interface StoreOpener {
        LocalStore open() throws IOException;
    }

    public ImageTransfer(Registries registries, StoreOpener store, ImageCopier copier) {
        this.registries = registries;
        this.store = store;
        this.copier = copier;
    }

    /** Between the locations on this machine only (layouts, archives, the store), which need no registry settings. */
    public static ImageTransfer onThisMachine(StoreOpener store) {
        return new ImageTransfer(null, store, new ImageCopier());
    }

    private Registries registries(ImageLocation location) {
        if (registries == null) {
            throw new BerthException("LOCATION_INVALID", location + " is in a registry; this command reads and writes files and the local store");
        }
        return registries;
    }

    /** What was copied: the root as written, and the name it got at the destination. */
    public record Result(ManifestBytes root, Reference name) {
    }

    /** An image of a source: its root, and its name there (null for none). */
    private record Named(Descriptor root, Reference name) {
    }

    /** A source and the images of it to copy. */
    private record Opened(ImageSource source, List<Named> images) {
    }

    public Result copy(ImageLocation from, ImageLocation to, PlatformChoice platforms) throws IOException {
        return transfer(open(from), to, platforms).getFirst();
    }

    /**
     * Every image an OCI layout or docker archive holds into the local store, all at once or none
     * ({@code berth import}, {@code berth load}): each under its own name (an unnamed layout's
     * after its directory, as {@code copy} names it), or the one image under {@code name}.
     */
    public List<Result> importAll(ImageLocation from, Reference name, PlatformChoice platforms) throws IOException {
        Opened all = openAll(from);
        if (all.images().isEmpty()) {
            all.source().close();
            throw new BerthException("IMAGE_INVALID", from + " holds no images");
        }
        if (name != null && all.images().size() > 1) {
            all.source().close();
            throw new BerthException("NAME_AMBIGUOUS", from + " holds " + all.images().size()
                    + " images; only one can be given a name (leave the name out to keep their own)");
        }
        return transfer(all, new ImageLocation.Store(name == null ? "" : name.toString()), platforms);
    }

    /** Images of the local store, under their names, into one layout or archive ({@code berth save}, {@code berth export}). */
    public List<Result> exportAll(List<String> references, ImageLocation to, PlatformChoice platforms) throws IOException {
        LocalStore local = store.open();
        List<Named> images = new ArrayList<>();
        for (String reference : references) {
            ImageRecord record = local.require(reference);
            images.add(new Named(record.root(), record.name()));
        }
        return transfer(new Opened(local, images), to, platforms);
    }

    private List<Result> transfer(Opened source, ImageLocation to, PlatformChoice platforms) throws IOException {
        WarmUp.startOnce();
        try (ImageSource ignored = source.source()) {
            PlatformChoice choice = to instanceof ImageLocation.DockerArchiveFile && platforms.all()
                    ? PlatformChoice.host() // a docker-archive holds one image per name
                    : platforms;
            List<Result> results = new ArrayList<>();
            try (ImageSink sink = openSink(to, source)) {
                for (Named image : source.images()) {
                    Reference name = destinationName(to, image.name());
                    ManifestBytes root = copier.copy(source.source(), image.root(), choice, sink);
                    sink.tag(name, root);
                    results.add(new Result(root, name));
                }
                sink.commit();
            }
            return results;
        }
    }

    // The methods below test the location's kind with instanceof rather than a pattern
    // switch, whose bootstrap spins classes on first use that the AOT cache does not keep.
    private Opened open(ImageLocation location) throws IOException {
        if (location instanceof ImageLocation.Registry registry) {
            Registries.Resolved resolved = registries(location).resolve(registry.reference());
            return new Opened(resolved.source(), List.of(new Named(resolved.root(), registry.reference())));
        }
        if (location instanceof ImageLocation.OciDirectory oci) {
            OciLayout layout = OciLayout.open(oci.dir());
            Descriptor entry = layout.entry(oci.tag());
            return new Opened(layout, List.of(new Named(entry, OciLayout.nameOf(entry, nameFromPath(oci.dir())))));
        }
        if (location instanceof ImageLocation.DockerArchiveFile archive) {
            return openArchive(archive);
        }
        ImageLocation.Store stored = (ImageLocation.Store) location;
        LocalStore local = store.open();
        ImageRecord record = local.require(stored.reference());
        return new Opened(local, List.of(new Named(record.root(), record.name())));
    }

    /** Every image of a layout or archive, each name of an archive's image as one image. */
    private static Opened openAll(ImageLocation location) throws IOException {
        List<Named> images = new ArrayList<>();
        if (location instanceof ImageLocation.OciDirectory oci && oci.tag() == null) {
            OciLayout layout = OciLayout.open(oci.dir());
            for (Descriptor entry : layout.entries()) {
                images.add(new Named(entry, OciLayout.nameOf(entry, nameFromPath(oci.dir()))));
            }
            return new Opened(layout, images);
        }
        if (location instanceof ImageLocation.DockerArchiveFile file && file.name() == null) {
            DockerArchive archive = DockerArchive.open(file.file());
            for (DockerArchive.ArchivedImage image : archive.images()) {
                Descriptor root = image.manifest().descriptor();
                if (image.repoTags().isEmpty()) {
                    images.add(new Named(root, null));
                }
                image.repoTags().forEach(tag -> images.add(new Named(root, Reference.parse(tag))));
            }
            return new Opened(archive, images);
        }
        throw new BerthException("LOCATION_INVALID", "cannot take every image of " + location
                + ": give an OCI layout directory or a docker-archive file, without a tag or name");
    }

    private static Opened openArchive(ImageLocation.DockerArchiveFile location) throws IOException {
        DockerArchive archive = DockerArchive.open(location.file());
        List<DockerArchive.ArchivedImage> images = archive.images();
        for (DockerArchive.ArchivedImage image : images) {
            for (String tag : image.repoTags()) {
                Reference name = Reference.parse(tag);
                if (location.name() == null ? images.size() == 1 : name.equals(location.name())) {
                    return new Opened(archive, List.of(new Named(image.manifest().descriptor(), name)));
                }
            }
            if (location.name() == null && images.size() == 1) {
                return new Opened(archive, List.of(new Named(image.manifest().descriptor(), null)));
            }
        }
        archive.close();
        throw new BerthException("NOT_FOUND", location.name() == null
                ? location.file() + " holds " + images.size() + " images; name one as docker-archive:FILE:NAME"
                : "no image " + location.name() + " in " + location.file());
    }

    private static Reference destinationName(ImageLocation to, Reference sourceName) {
        if (to instanceof ImageLocation.Registry registry) {
            return registry.reference();
        }
        if (to instanceof ImageLocation.OciDirectory oci) {
            Reference base = sourceName != null ? sourceName : Reference.parse(nameFromPath(oci.dir()));
            return oci.tag() != null ? base.withTag(oci.tag()) : base;
        }
        if (to instanceof ImageLocation.DockerArchiveFile archive) {
            return archive.name() != null ? archive.name() : requireName(sourceName, "give one as docker-archive:FILE:NAME");
        }
        ImageLocation.Store stored = (ImageLocation.Store) to;
        return !stored.reference().isEmpty() ? Reference.parse(stored.reference())
                : requireName(sourceName, "give it one (berth:NAME for copy, --name for import)");
    }

    private static Reference requireName(Reference name, String hint) {
        if (name == null) {
            throw new BerthException("NAME_REQUIRED", "the source image has no name; " + hint);
        }
        return name;
    }

    private ImageSink openSink(ImageLocation to, Opened source) throws IOException {
        if (to instanceof ImageLocation.Registry registry) {
            Reference target = registry.reference();
            return new RegistrySink(registries(to).client(target.registry()), target.repository(),
                    mountSources(source, target), RegistrySink.DEFAULT_CHUNK_SIZE);
        }
        if (to instanceof ImageLocation.OciDirectory oci) {
            return OciLayoutWriter.create(oci.dir());
        }
        if (to instanceof ImageLocation.DockerArchiveFile archive) {
            return archive.toStandardOutput() ? DockerArchiveWriter.toStandardOutput() : DockerArchiveWriter.create(archive.file());
        }
        return store.open().begin();
    }

    /**
     * Where on the target registry a blob may already be, for a cross-repository mount: the
     * source repository when copying within one registry, or, pushing from the local store,
     * the repositories of that registry that stored images came from.
     */
    private static Function<Digest, Optional<String>> mountSources(Opened source, Reference target) {
        if (source.source() instanceof RegistrySource registry
                && registry.client().registry().equals(target.registry())
                && !registry.repository().equals(target.repository())) {
            return digest -> Optional.of(registry.repository());
        }
        if (source.source() instanceof LocalStore local) {
            Map<Digest, String> known = blobsByRepository(local, target);
            return digest -> Optional.ofNullable(known.get(digest));
        }
        return digest -> Optional.empty();
    }

    private static Map<Digest, String> blobsByRepository(LocalStore local, Reference target) {
        Map<Digest, String> known = new HashMap<>();
        try {
            for (ImageRecord record : local.images()) {
                Reference name = record.name();
                if (!name.registry().equals(target.registry()) || name.repository().equals(target.repository())) {
                    continue;
                }
                Deque<Descriptor> pending = new ArrayDeque<>(List.of(record.root()));
                while (!pending.isEmpty()) {
                    Descriptor next = pending.pop();
                    if (!local.hasBlob(next.digest()) || known.putIfAbsent(next.digest(), name.repository()) != null) {
                        continue;
                    }
                    if (MediaType.isManifest(next.mediaType())) {
                        pending.addAll(local.manifest(next).references());
                    }
                }
            }
        } catch (IOException | BerthException unreadable) {
            // Mount hints only save uploads; without them every missing blob is simply sent.
            return Map.of();
        }
        return known;
    }

    /** A name for images from a layout without names: its directory's name, made a valid repository. */
    static String nameFromPath(Path path) {
        Path fileName = path.toAbsolutePath().normalize().getFileName();
        String base = (fileName == null ? "" : fileName.toString()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
        return base.isEmpty() ? "image" : base;
    }
}
