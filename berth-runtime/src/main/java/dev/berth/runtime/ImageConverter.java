package dev.berth.runtime;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.flatten.FlattenedImage;
import dev.berth.runtime.flatten.Layer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/** Turns an image of the local store into a squashfs file: its root file system once into the cache, or an image file of its own. */
public final class ImageConverter {
    private final LocalStore store;
    private final ImageCache cache;

    public ImageConverter(LocalStore store, ImageCache cache) {
        this.store = store;
        this.cache = cache;
    }

    /** The cached image of {@code image} (a platform manifest), converting its root file system first when no cache has it. */
    public ImageFile cached(String name, ManifestBytes image) throws IOException {
        Optional<ImageFile> cached = cache.find(image.digest());
        if (cached.isPresent()) {
            return cached.get();
        }
        Source source = source(name, image);
        return cache.convert(image.digest(), source.chain(), (target, beforePublish) ->
                FlattenedImage.write(target, new LinkedHashMap<>(), source.layers(), "converting " + name, beforePublish),
                new ImageCache.Metadata(source.berthFiles().get(ImageMetadata.RUNTIME_IN_IMAGE),
                        source.berthFiles().get(ImageMetadata.CONFIG_IN_IMAGE)));
    }

    /** Writes {@code image} as one squashfs file that carries its metadata, to run anywhere. */
    public void writeImageFile(String name, ManifestBytes image, Path squashfs) throws IOException {
        Source source = source(name, image);
        FlattenedImage.write(squashfs, source.berthFiles(), source.layers(), "converting " + name, written -> { });
    }

    /** What a conversion reads: the image's layers in the store, their chain, and berth's files about the image. */
    private record Source(Digest chain, List<Layer> layers, SequencedMap<String, byte[]> berthFiles) {
    }

    private Source source(String name, ManifestBytes image) throws IOException {
        byte[] configBytes = store.readBlob(image.manifest().config().digest());
        ImageConfig config = ImageConfig.parse(configBytes);
        List<Descriptor> blobs = image.manifest().layers();
        List<Digest> diffIds = config.rootfs() == null ? List.of() : config.rootfs().diffIds();
        if (diffIds.size() != blobs.size()) {
            throw new InvalidImageException("image " + name + ": its config lists " + diffIds.size() + " rootfs.diff_ids for "
                    + blobs.size() + " layers; berth refuses to convert it (rebuild or push the image again)");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            Digest blob = blobs.get(i).digest();
            if (!store.hasBlob(blob)) {
                throw new NotFoundException("layer " + blob + " of " + name + " is not in the local store; pull the image again");
            }
            layers.add(new Layer(blob.toString(), store.blobPath(blob), diffIds.get(i)));
        }
        SequencedMap<String, byte[]> berthFiles = new LinkedHashMap<>();
        berthFiles.put(ImageMetadata.CONFIG_IN_IMAGE, ImageMetadata.configJson(name, image.digest(), configBytes));
        berthFiles.put(ImageMetadata.RUNTIME_IN_IMAGE, ImageMetadata.of(name, image.digest(), config).runtimeRecords());
        return new Source(LayerChain.of(diffIds), layers, berthFiles);
    }
}
