package dev.berth.trust;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A Sigstore bundle attached to an image as an OCI 1.1 referrer, as cosign attaches them: a
 * manifest whose {@code subject} is the image, with the bundle's media type as its artifact type,
 * the empty config, the bundle as its one layer, and the statement's predicate type annotated.
 * Push the config and the bundle as blobs, then the manifest.
 */
public record BundleReferrer(byte[] config, byte[] bundle, ManifestBytes manifest) {
    public static final String PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);

    public static BundleReferrer of(Descriptor subject, byte[] bundle, String predicateType) {
        Descriptor config = Descriptor.of(MediaType.OCI_EMPTY, Digest.of(EMPTY_CONFIG), EMPTY_CONFIG.length);
        Descriptor layer = Descriptor.of(SigstoreBundle.MEDIA_TYPE, Digest.of(bundle), bundle.length);
        Descriptor bareSubject = Descriptor.of(subject.mediaType(), subject.digest(), subject.size());
        ManifestBytes manifest = ManifestBytes.create(new ImageManifest(2, MediaType.OCI_MANIFEST, SigstoreBundle.MEDIA_TYPE,
                config, List.of(layer), bareSubject, Map.of(PREDICATE_ANNOTATION, predicateType)));
        return new BundleReferrer(EMPTY_CONFIG.clone(), bundle, manifest);
    }

    public Descriptor configDescriptor() {
        return manifest.manifest().config();
    }

    public Descriptor bundleDescriptor() {
        return manifest.manifest().layers().getFirst();
    }
}
