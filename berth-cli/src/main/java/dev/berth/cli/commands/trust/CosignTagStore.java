package dev.berth.cli.commands.trust;

import dev.berth.distribution.RegistrySink;
import dev.berth.distribution.RegistrySource;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.trust.CosignSignatures;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Reads and writes the {@code sha256-<hex>.sig} signature images of one repository. */
final class CosignTagStore {
    /** Far above any simple-signing payload (a few hundred bytes), far below what could hurt. */
    static final int MAX_PAYLOAD_SIZE = 64 * 1024;

    private final RegistrySource source;
    private final Reference repository;

    CosignTagStore(RegistrySource source, Reference repository) {
        this.source = source;
        this.repository = repository;
    }

    /** The signature layers stored for {@code digest}: none when its signature tag does not exist. */
    List<Descriptor> layers(Digest digest) throws IOException {
        return image(digest).map(CosignSignatures::signatureLayers).orElse(List.of());
    }

    private Optional<ManifestBytes> image(Digest digest) throws IOException {
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

    /** A payload's bytes, or empty when the registry's blob is not the one the layer names (size or digest). */
    Optional<byte[]> payload(Descriptor layer) throws IOException {
        if (layer.size() > MAX_PAYLOAD_SIZE) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = source.blob(layer)) {
            bytes = in.readNBytes(MAX_PAYLOAD_SIZE + 1);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return bytes.length == layer.size() && Digest.of(bytes).equals(layer.digest()) ? Optional.of(bytes) : Optional.empty();
    }

    /** Adds a signature to those of {@code digest}, keeping the ones already there. */
    void add(Digest digest, CosignSignatures.Layer layer) throws IOException {
        CosignSignatures.Image image = CosignSignatures.withLayer(layers(digest), layer);
        RegistrySink sink = new RegistrySink(source.client(), repository.repository());
        sink.putBlob(layer.descriptor(), new ByteArrayInputStream(layer.payload()));
        Descriptor config = image.manifest().manifest().config();
        sink.putBlob(config, new ByteArrayInputStream(image.config()));
        sink.tag(signatureTag(digest), image.manifest());
    }
}
