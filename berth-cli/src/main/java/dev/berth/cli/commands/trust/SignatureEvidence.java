package dev.berth.cli.commands.trust;

import dev.berth.distribution.RegistrySource;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.InTotoStatement;
import dev.berth.trust.InvalidSignatureException;
import dev.berth.trust.SignatureCheck;
import dev.berth.trust.SignatureWarmUp;
import dev.berth.trust.SigstoreBundle;
import dev.berth.trust.TagSchemeVerifier;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One signature that {@code berth verify} found for an image, in either place berth sign stores
 * them (cosign's signature tag, or an OCI referrer holding a Sigstore bundle), and what checking
 * it concluded. Only a valid one vouches for the digest.
 *
 * @param via    {@code cosign-tag} or {@code referrer}
 * @param where  the signature tag's layer, or the referrer manifest
 */
record SignatureEvidence(String via, Digest where, Optional<AcceptedKey> signer, Optional<Digest> signedDigest,
                         Optional<String> dockerReference, Optional<Instant> timestamp, Optional<String> creator,
                         Optional<String> problem) {
    static final String TAG = "cosign-tag";
    static final String REFERRER = "referrer";

    boolean valid() {
        return problem.isEmpty();
    }

    /**
     * Every signature stored for {@code digest} in its repository, checked against {@code keys}:
     * cosign's tag first, then the referrer bundles. What berth verify reports and the run policy demands.
     */
    static List<SignatureEvidence> gather(RegistrySource source, Reference reference, Digest digest, List<AcceptedKey> keys)
            throws IOException {
        SignatureWarmUp.startOnce();
        List<List<SignatureEvidence>> stores = Concurrently.map(List.of(TAG, REFERRER), store -> store.equals(TAG)
                ? TagSchemeVerifier.check(new CosignTagStore(source, reference), digest, keys).stream()
                        .map(SignatureEvidence::of).toList()
                : Attestations.of(source, digest, InTotoStatement.COSIGN_SIGN::equals).stream()
                        .flatMap(attached -> of(attached, keys, digest).stream()).toList());
        return stores.stream().flatMap(List::stream).toList();
    }

    /** Why none of {@code findings} vouches for the digest: each distinct problem once, in the order found. */
    static String problems(List<SignatureEvidence> findings) {
        return String.join("; ", findings.stream().flatMap(finding -> finding.problem().stream()).distinct().toList());
    }

    static SignatureEvidence of(TagSchemeVerifier.Finding finding) {
        SignatureCheck check = finding.check();
        return new SignatureEvidence(TAG, finding.layer().digest(), check.signer(),
                check.payload().map(payload -> payload.manifestDigest()), check.payload().map(payload -> payload.dockerReference()),
                check.payload().flatMap(payload -> payload.timestamp()), check.payload().flatMap(payload -> payload.creator()),
                check.problem());
    }

    /** A referrer's bundle, if it announces a cosign signature; push attestations and provenance are not signatures. */
    static Optional<SignatureEvidence> of(Attestations.Attached attached, List<AcceptedKey> keys, Digest digest) {
        if (!InTotoStatement.COSIGN_SIGN.equals(attached.predicateType())) {
            return Optional.empty();
        }
        if (attached.bundle().isEmpty()) {
            return Optional.of(refused(attached, "its bundle blob does not match the layer digest (truncated or replaced)"));
        }
        try {
            SigstoreBundle.Verified verified = SigstoreBundle.verify(attached.bundle().get(), keys, digest);
            return Optional.of(new SignatureEvidence(REFERRER, attached.referrer(), Optional.of(verified.signer()),
                    Optional.of(verified.statement().subjectDigest()), Optional.of(verified.statement().subjectName()),
                    Optional.empty(), Optional.empty(), Optional.empty()));
        } catch (InvalidSignatureException e) {
            return Optional.of(refused(attached, e.getMessage()));
        }
    }

    private static SignatureEvidence refused(Attestations.Attached attached, String problem) {
        return new SignatureEvidence(REFERRER, attached.referrer(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(problem));
    }
}
