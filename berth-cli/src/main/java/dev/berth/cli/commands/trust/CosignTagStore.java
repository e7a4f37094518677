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
import dev.berth.trust.TagSchemeVerifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

/** Reads and writes the {@code sha256-<hex>.sig} signature images of one repository, over HTTP. */
final class CosignTagStore implements SignatureStore {
    private final RegistrySource source;
    private final Reference repository;
    private final Map<Digest, Optional<byte[]>> prefetched = new ConcurrentHashMap<>();

    CosignTagStore(RegistrySource source, Reference repository) {
        this.source = source;
        this.repository = repository;
    }

    /** Fetches the payloads of the signature image's layers side by side, as the verifier will read them all. */
    @Override
    public Optional<ManifestBytes> signatureImage(Digest digest) throws IOException {
        ManifestBytes image;
        try {
            image = source.manifest(source.resolve(signatureTag(digest)));
        } catch (NotFoundException none) {
            return Optional.empty();
        }
        List<Descriptor> layers = CosignSignatures.signatureLayers(image).stream()
                .filter(layer -> layer.size() <= TagSchemeVerifier.MAX_PAYLOAD_SIZE).distinct().toList();
        List<Optional<byte[]>> payloads = Concurrently.map(layers,
                layer -> fetch(layer, TagSchemeVerifier.MAX_PAYLOAD_SIZE));
        for (int i = 0; i < layers.size(); i++) {
            prefetched.put(layers.get(i).digest(), payloads.get(i));
        }
        return Optional.of(image);
    }

    private Reference signatureTag(Digest digest) {
        return repository.withDigest(null).withTag(CosignSignatures.tagFor(digest));
    }

    @Override
    public Optional<byte[]> blob(Descriptor descriptor, int limit) {
        Optional<byte[]> payload = prefetched.get(descriptor.digest());
        return payload != null && limit >= TagSchemeVerifier.MAX_PAYLOAD_SIZE ? payload : fetch(descriptor, limit);
    }

    private Optional<byte[]> fetch(Descriptor descriptor, int limit) {
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
