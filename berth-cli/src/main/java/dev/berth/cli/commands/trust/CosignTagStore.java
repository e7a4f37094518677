package dev.berth.cli.commands.trust;

import dev.berth.distribution.RegistrySink;
import dev.berth.distribution.RegistrySource;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.trust.CosignSignatures;
import dev.berth.trust.SignatureStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Reads and writes the {@code sha256-<hex>.sig} signature images of one repository, over HTTP. */
final class CosignTagStore implements SignatureStore {
    private final RegistrySource source;
    private final Reference repository;

    CosignTagStore(RegistrySource source, Reference repository) {
        this.source = source;
        this.repository = repository;
    }

    @Override
    public Optional<ManifestBytes> signatureImage(Digest digest) throws IOException {
        try {
            Descriptor root = source.resolve(signatureTag(digest));
            return Optional.of(source.manifest(root));
        } catch (NotFoundException none) {
            return Optional.empty();
        }
    }

    private Reference signatureTag(Digest digest) {
        return repository.withDigest(null).withTag(CosignSignatures.tagFor(digest));
    }

    @Override
    public Optional<byte[]> blob(Descriptor descriptor, int limit) {
        try (InputStream in = source.blob(descriptor)) {
            return Optional.of(in.readNBytes(limit + 1));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Adds a signature to those of {@code digest}, keeping the ones already there. */
    void add(Digest digest, CosignSignatures.Layer layer) throws IOException {
        List<Descriptor> existing = signatureImage(digest).map(CosignSignatures::signatureLayers).orElse(List.of());
        CosignSignatures.Image image = CosignSignatures.withLayer(existing, layer);
        RegistrySink sink = new RegistrySink(source.client(), repository.repository());
        sink.putBlob(layer.descriptor(), new ByteArrayInputStream(layer.payload()));
        Descriptor config = image.manifest().manifest().config();
        sink.putBlob(config, new ByteArrayInputStream(image.config()));
        sink.tag(signatureTag(digest), image.manifest());
    }
}
