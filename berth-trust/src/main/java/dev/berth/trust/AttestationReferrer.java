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
 * A statement about an image attached to it as an OCI 1.1 referrer, as cosign attaches them: a
 * manifest whose {@code subject} is the image, with the content's media type as its artifact
 * type, the empty config, the content as its one layer, and the statement's predicate type
 * annotated. The content is a Sigstore bundle ({@link #signed}) or, where no key signed it, the
 * in-toto statement itself ({@link #unsigned}). Store the config and the content as blobs,
 * then the manifest.
 */
public record AttestationReferrer(byte[] config, byte[] content, ManifestBytes manifest) {
    public static final String PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);

    public static AttestationReferrer signed(Descriptor subject, byte[] bundle, String predicateType) {
        return of(subject, SigstoreBundle.MEDIA_TYPE, bundle, predicateType);
    }

    public static AttestationReferrer unsigned(Descriptor subject, InTotoStatement statement) {
        return of(subject, Dsse.IN_TOTO_PAYLOAD_TYPE, statement.bytes(), statement.predicateType());
    }

    private static AttestationReferrer of(Descriptor subject, String mediaType, byte[] content, String predicateType) {
        Descriptor config = Descriptor.of(MediaType.OCI_EMPTY, Digest.of(EMPTY_CONFIG), EMPTY_CONFIG.length);
        Descriptor layer = Descriptor.of(mediaType, Digest.of(content), content.length);
        Descriptor bareSubject = Descriptor.of(subject.mediaType(), subject.digest(), subject.size());
        ManifestBytes manifest = ManifestBytes.create(new ImageManifest(2, MediaType.OCI_MANIFEST, mediaType,
                config, List.of(layer), bareSubject, Map.of(PREDICATE_ANNOTATION, predicateType)));
        return new AttestationReferrer(EMPTY_CONFIG.clone(), content, manifest);
    }

    public Descriptor configDescriptor() {
        return manifest.manifest().config();
    }

    public Descriptor contentDescriptor() {
        return manifest.manifest().layers().getFirst();
    }
}
