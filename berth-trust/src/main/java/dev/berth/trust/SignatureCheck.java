package dev.berth.trust;

import dev.berth.oci.Digest;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What one cosign signature proves about one image digest: the cryptographic check comes first,
 * so nothing from an unverified payload is believed; then the payload's shape; then its digest.
 */
public record SignatureCheck(Optional<AcceptedKey> signer, Optional<SimpleSigningPayload> payload,
                             Optional<String> problem) {

    public boolean valid() {
        return problem.isEmpty();
    }

    public static SignatureCheck failed(String problem) {
        return new SignatureCheck(Optional.empty(), Optional.empty(), Optional.of(problem));
    }

    public static SignatureCheck of(byte[] payload, String base64Signature, List<AcceptedKey> keys, Digest expected) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(base64Signature);
        } catch (IllegalArgumentException e) {
            return failed("its signature annotation is not base64");
        }
        Optional<AcceptedKey> signer = keys.stream().filter(key -> key.key().verifies(payload, signature)).findFirst();
        if (signer.isEmpty()) {
            return failed("not signed by an accepted key (another key signed it, or its payload was altered)");
        }
        SimpleSigningPayload parsed;
        try {
            parsed = SimpleSigningPayload.parse(payload);
        } catch (InvalidSignatureException | dev.berth.oci.InvalidImageException e) {
            return new SignatureCheck(signer, Optional.empty(), Optional.of("its payload breaks cosign's format: "
                    + e.getMessage()));
        }
        if (!parsed.manifestDigest().equals(expected)) {
            return new SignatureCheck(signer, Optional.of(parsed), Optional.of("it signs " + parsed.manifestDigest()
                    + ", not " + expected));
        }
        return new SignatureCheck(signer, Optional.of(parsed), Optional.empty());
    }
}
