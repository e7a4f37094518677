package dev.berth.trust;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.image.ManifestBytes;

import java.io.IOException;
import java.util.Optional;

/**
 * Where an image's cosign signatures are read from: its registry over HTTP (the client) or the
 * registry's own storage (the registry deciding whether an image is trusted).
 */
public interface SignatureStore {
    /** The signature image tagged {@code sha256-<hex>.sig} for {@code digest}, or empty when there is none. */
    Optional<ManifestBytes> signatureImage(Digest digest) throws IOException;

    /** At most {@code limit + 1} bytes of the blob {@code descriptor} names, or empty when it cannot be read. */
    Optional<byte[]> blob(Descriptor descriptor, int limit) throws IOException;
}
