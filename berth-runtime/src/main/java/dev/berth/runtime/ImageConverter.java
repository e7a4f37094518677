package dev.berth.runtime;

import dev.berth.oci.Descriptor;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.flatten.LayerFlattener;
import dev.berth.runtime.flatten.SquashfsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        Path target = cache.userImagePath(image.digest());
        byte[] configBytes = store.readBlob(image.manifest().config().digest());
        ImageMetadata metadata = ImageMetadata.of(name, image.digest(), ImageConfig.parse(configBytes));
        List<LayerFlattener.Layer> layers = new ArrayList<>();
        for (Descriptor layer : image.manifest().layers()) {
            layers.add(new LayerFlattener.Layer(layer.digest().toString(), store.blobPath(layer.digest())));
            if (!store.hasBlob(layer.digest())) {
                throw new NotFoundException("layer " + layer.digest() + " of " + name
                        + " is not in the local store; pull the image again");
            }
        }
        SquashfsWriter.write(target, tar -> {
            LayerFlattener flattener = new LayerFlattener(tar);
            flattener.addFile(ImageMetadata.CONFIG_IN_IMAGE, ImageMetadata.configJson(name, image.digest(), configBytes));
            flattener.addFile(ImageMetadata.RUNTIME_IN_IMAGE, metadata.runtimeRecords());
            flattener.flatten(layers);
        }, "converting " + name);
        return target;
    }
}
