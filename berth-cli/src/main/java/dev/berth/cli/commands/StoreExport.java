package dev.berth.cli.commands;

import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.ImageSink;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Images of the store written, under their names, into one layout or archive: what export and save share. */
final class StoreExport {
    /** The argument that means standard output. */
    static final String STANDARD_OUTPUT = "-";

    private StoreExport() {
    }

    /** Copies each image into {@code sink}, names it there, and commits; returns the roots written, in order. */
    static List<ManifestBytes> write(LocalStore store, List<ImageRecord> images, PlatformChoice platforms, ImageSink sink)
            throws IOException {
        ImageCopier copier = new ImageCopier();
        List<ManifestBytes> roots = new ArrayList<>();
        for (ImageRecord image : images) {
            ManifestBytes root = copier.copy(store, image.root(), platforms, sink);
            sink.tag(image.name(), root);
            roots.add(root);
        }
        sink.commit();
        return roots;
    }
}
