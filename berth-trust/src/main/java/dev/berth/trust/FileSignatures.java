package dev.berth.trust;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signatures of an image file (from {@code berth convert}) that travel inside it: Sigstore bundles
 * whose in-toto statement names the digest of the file's content, with cosign's signature
 * predicate and the time of signing. Checked offline: nothing but the file and the keys is needed.
 */
public final class FileSignatures {
    /** The subject name in the statement; the file's own name may change, its content may not. */
    public static final String SUBJECT = "berth-image-file";

    /** One carried signature checked: its signer and time when valid, else why it is refused. */
    public record Finding(Optional<AcceptedKey> signer, Optional<Instant> signedAt, Optional<String> problem) {
        public boolean valid() {
            return problem.isEmpty();
        }
    }

    private FileSignatures() {
    }

    public static byte[] sign(Digest content, SigningKey key, Instant now) {
        ObjectNode predicate = JsonNodeFactory.instance.objectNode().put("timestamp", now.toString());
        return SigstoreBundle.sign(new InTotoStatement(SUBJECT, content, InTotoStatement.COSIGN_SIGN, predicate), key);
    }

    public static List<Finding> check(List<byte[]> bundles, Digest content, List<AcceptedKey> keys) {
        List<Finding> findings = new ArrayList<>();
        for (byte[] bundle : bundles) {
            try {
                SigstoreBundle.Verified verified = SigstoreBundle.verify(bundle, keys, content);
                if (!InTotoStatement.COSIGN_SIGN.equals(verified.statement().predicateType())) {
                    findings.add(refused("it is an attestation (" + verified.statement().predicateType() + "), not a signature"));
                    continue;
                }
                findings.add(new Finding(Optional.of(verified.signer()), signedAt(verified.statement()), Optional.empty()));
            } catch (InvalidSignatureException e) {
                findings.add(refused(e.getMessage()));
            }
        }
        return findings;
    }

    private static Optional<Instant> signedAt(InTotoStatement statement) {
        try {
            return Optional.of(Instant.parse(statement.predicate().path("timestamp").asText()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Finding refused(String problem) {
        return new Finding(Optional.empty(), Optional.empty(), Optional.of(problem));
    }
}
