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

    @Override
    default void close() throws IOException {
    }
}
