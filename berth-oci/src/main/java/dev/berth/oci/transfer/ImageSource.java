package dev.berth.oci.transfer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.image.ManifestBytes;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where images are read from: a registry, an OCI layout, a docker-archive, the local store.
 * How names resolve to root descriptors is each source's own business.
 */
public interface ImageSource extends Closeable {

    /** The manifest or index the descriptor points at, verified against its digest. */
    ManifestBytes manifest(Descriptor descriptor) throws IOException;

    /** The raw bytes of a blob; the sink verifies them as it writes. */
    InputStream blob(Descriptor descriptor) throws IOException;

    /** True for a source over the network, whose bytes a sink should not have to fetch twice. */
    default boolean remote() {
        return false;
    }

    /** The bytes of a blob from {@code offset} on, for a sink resuming a download; sources that can seek override it. */
    default InputStream blob(Descriptor descriptor, long offset) throws IOException {
        return BlobOpener.skipping(blob(descriptor), offset);
    }

    @Override
    default void close() throws IOException {
    }
}
