package dev.berth.oci.transfer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where images are written to. Nothing written becomes visible under a name before
 * {@link #commit()}, and a sink closed without commit leaves its target as it was.
 */
public interface ImageSink extends Closeable {

    /** True when the blob is already there, so the copy can skip it. */
    boolean hasBlob(Descriptor descriptor) throws IOException;

    /** Writes a blob, verifying digest and size; on mismatch nothing is kept and the error says so. */
    void putBlob(Descriptor descriptor, InputStream content) throws IOException;

    /**
     * Writes a blob whose content can be read again. Sinks that may fail part way, such as a
     * registry upload, override this to retry from the start; others read it once.
     */
    default void putBlob(Descriptor descriptor, BlobOpener content) throws IOException {
        try (InputStream in = content.open()) {
            putBlob(descriptor, in);
        }
    }

    /** Writes a manifest or index; the blobs and child manifests it names have been put before. */
    void putManifest(ManifestBytes manifest) throws IOException;

    /** Names a root manifest; may be called several times. */
    void tag(Reference name, ManifestBytes root) throws IOException;

    /** Makes everything written visible at once. */
    void commit() throws IOException;
}
