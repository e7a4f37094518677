package dev.berth.registry.trust;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.trust.CosignSignatures;
import dev.berth.trust.SignatureStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/** One repository's cosign signatures as the registry holds them: read from storage, not over HTTP. */
final class StoredSignatures implements SignatureStore {
    private final Registry registry;
    private final String repository;

    StoredSignatures(Registry registry, String repository) {
        this.registry = registry;
        this.repository = repository;
    }

    @Override
    public Optional<ManifestBytes> signatureImage(Digest digest) throws IOException {
        try {
            return Optional.of(registry.manifests().manifest(repository, CosignSignatures.tagFor(digest)));
        } catch (RegistryException notThere) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> blob(Descriptor descriptor, int limit) throws IOException {
        try {
            registry.blobs().blobSize(repository, descriptor.digest());
        } catch (RegistryException notInRepository) {
            return Optional.empty();
        }
        try (SeekableByteChannel channel = registry.blobs().openBlob(descriptor.digest());
             InputStream in = Channels.newInputStream(channel)) {
            return Optional.of(in.readNBytes(limit + 1));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }
}
