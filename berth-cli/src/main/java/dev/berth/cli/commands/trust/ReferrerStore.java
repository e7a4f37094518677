package dev.berth.cli.commands.trust;

import dev.berth.distribution.RegistrySink;
import dev.berth.distribution.RegistrySource;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.trust.AttestationReferrer;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/** Attaches Sigstore bundles to an image as OCI 1.1 referrers: manifests whose {@code subject} is the image. */
final class ReferrerStore {
    private final RegistrySource source;

    ReferrerStore(RegistrySource source) {
        this.source = source;
    }

    /** Pushes {@code bundle} as a referrer of {@code subject}; returns the referrer manifest's digest. */
    Digest attach(Descriptor subject, byte[] bundle, String predicateType) throws IOException {
        AttestationReferrer referrer = AttestationReferrer.signed(subject, bundle, predicateType);
        RegistrySink sink = new RegistrySink(source.client(), source.repository());
        sink.putBlob(referrer.configDescriptor(), new ByteArrayInputStream(referrer.config()));
        sink.putBlob(referrer.contentDescriptor(), new ByteArrayInputStream(referrer.content()));
        sink.putManifest(referrer.manifest());
        return referrer.manifest().digest();
    }
}
