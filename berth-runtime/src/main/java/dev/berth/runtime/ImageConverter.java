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

/** Turns an image of the local store into a squashfs file, through the cache. */
public final class ImageConverter {
    private final LocalStore store;
    private final ImageCache cache;

    public ImageConverter(LocalStore store, ImageCache cache) {
        this.store = store;
        this.cache = cache;
    }

    /** The cached squashfs of {@code image} (a platform manifest), converting it first when no cache has it. */
    public Path squashfs(String name, ManifestBytes image) throws IOException {
        Optional<Path> cached = cache.find(image.digest());
        if (cached.isPresent()) {
            return cached.get();
        }
        byte[] configBytes = store.readBlob(image.manifest().config().digest());
        ImageConfig config = ImageConfig.parse(configBytes);
        ImageMetadata metadata = ImageMetadata.of(name, image.digest(), config);
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
        berthFiles.put(ImageMetadata.RUNTIME_IN_IMAGE, metadata.runtimeRecords());
        return cache.convert(image.digest(), (target, beforePublish) ->
                FlattenedImage.write(target, berthFiles, layers, "converting " + name, beforePublish));
    }
}
