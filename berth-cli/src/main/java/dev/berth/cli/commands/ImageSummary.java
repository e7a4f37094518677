package dev.berth.cli.commands;

import dev.berth.oci.Descriptor;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** What {@code berth images} shows of a stored image: its size on disk and when it was built. */
record ImageSummary(long size, Instant created) {

    static ImageSummary of(LocalStore store, ImageRecord record) throws IOException {
        ManifestBytes root = store.manifest(record.root());
        if (!root.isIndex()) {
            return ofImage(store, root);
        }
        long size = root.size();
        Instant created = null;
        for (Descriptor child : root.index().manifests()) {
            if (store.hasBlob(child.digest()) && MediaType.isImageManifest(child.mediaType())) {
                ImageSummary summary = ofImage(store, store.manifest(child));
                size += summary.size();
                boolean isHost = child.platform() != null && child.platform().satisfies(Platform.host());
                if (created == null || isHost) {
                    created = summary.created();
                }
            }
        }
        return new ImageSummary(size, created);
    }

    private static ImageSummary ofImage(LocalStore store, ManifestBytes manifest) throws IOException {
        long size = manifest.size();
        for (Descriptor blob : manifest.references()) {
            size += blob.size();
        }
        return new ImageSummary(size, createdOf(store, manifest.manifest().config()));
    }

    private static Instant createdOf(LocalStore store, Descriptor config) throws IOException {
        if (!MediaType.isImageConfig(config.mediaType()) || !store.hasBlob(config.digest())) {
            return null;
        }
        try {
            String created = ImageConfig.created(store.readBlob(config.digest()));
            return created == null ? null : Instant.parse(created);
        } catch (DateTimeParseException | InvalidImageException e) {
            return null;
        }
    }
}
