package dev.berth.cli.commands.trust;

import dev.berth.distribution.RegistrySink;
import dev.berth.distribution.RegistrySource;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.trust.SigstoreBundle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Attaches Sigstore bundles to an image as OCI 1.1 referrers: manifests whose {@code subject} is the image. */
final class ReferrerStore {
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final String PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";
    private static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

    private final RegistrySource source;

    ReferrerStore(RegistrySource source) {
        this.source = source;
    }

    /** Pushes {@code bundle} as a referrer of {@code subject}; returns the referrer manifest's digest. */
    Digest attach(Descriptor subject, byte[] bundle) throws IOException {
        RegistrySink sink = new RegistrySink(source.client(), source.repository());
        Descriptor config = Descriptor.of(MediaType.OCI_EMPTY, Digest.of(EMPTY_CONFIG), EMPTY_CONFIG.length);
        Descriptor layer = Descriptor.of(SigstoreBundle.MEDIA_TYPE, Digest.of(bundle), bundle.length);
        sink.putBlob(config, new ByteArrayInputStream(EMPTY_CONFIG));
        sink.putBlob(layer, new ByteArrayInputStream(bundle));
        Descriptor bareSubject = Descriptor.of(subject.mediaType(), subject.digest(), subject.size());
        ManifestBytes manifest = ManifestBytes.create(new ImageManifest(2, MediaType.OCI_MANIFEST, SigstoreBundle.MEDIA_TYPE,
                config, List.of(layer), bareSubject, Map.of(PREDICATE_ANNOTATION, COSIGN_SIGN_PREDICATE)));
        sink.putManifest(manifest);
        return manifest.digest();
    }
}
