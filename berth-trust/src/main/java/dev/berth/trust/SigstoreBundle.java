package dev.berth.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;

import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle (v0.3) holding a DSSE envelope around an in-toto statement, signed by a key
 * rather than a Fulcio certificate: the form cosign attaches as an OCI 1.1 referrer. It has no
 * transparency log entry, so verifiers must be told not to require one.
 */
public final class SigstoreBundle {
    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    /** Far above any bundle berth writes or reads (a few KiB), far below what could hurt. */
    public static final int MAX_SIZE = 1 << 20;

    /** A bundle whose signature an accepted key verified, and the statement it signs. */
    public record Verified(AcceptedKey signer, InTotoStatement statement) {
    }

    private SigstoreBundle() {
    }

    /** The bundle's JSON bytes: {@code key} signs {@code statement}. */
    public static byte[] sign(InTotoStatement statement, SigningKey key) {
        byte[] payload = statement.bytes();
        byte[] signature = key.sign(Dsse.preAuthenticationEncoding(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode bundle = JsonNodeFactory.instance.objectNode();
        bundle.put("mediaType", MEDIA_TYPE);
        ObjectNode material = bundle.putObject("verificationMaterial");
        material.putObject("publicKey").put("hint", base64.encodeToString(HexFormat.of().parseHex(
                key.publicKey().fingerprint().hex())));
        material.putArray("tlogEntries");
        ObjectNode envelope = bundle.putObject("dsseEnvelope");
        envelope.put("payload", base64.encodeToString(payload));
        envelope.put("payloadType", Dsse.IN_TOTO_PAYLOAD_TYPE);
        envelope.putArray("signatures").addObject().put("sig", base64.encodeToString(signature));
        return Json.write(bundle);
    }

    /**
     * Checks the envelope's signature with each accepted key first, and only then reads the
     * statement, which must be about {@code expected}.
     *
     * @throws InvalidSignatureException saying why the bundle is refused
     */
    public static Verified verify(byte[] bundle, List<AcceptedKey> keys, Digest expected) {
        JsonNode envelope;
        try {
            JsonNode root = Json.mapper().readTree(bundle);
            if (root == null || !root.path("mediaType").asText().startsWith("application/vnd.dev.sigstore.bundle")) {
                throw new InvalidSignatureException("it is not a Sigstore bundle");
            }
            envelope = root.path("dsseEnvelope");
        } catch (IOException e) {
            throw new InvalidSignatureException("the bundle is not JSON (truncated?)");
        }
        if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(envelope.path("payloadType").asText())) {
            throw new InvalidSignatureException("its envelope does not carry an in-toto statement");
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(envelope.path("payload").asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("its envelope's payload is not base64");
        }
        byte[] signed = Dsse.preAuthenticationEncoding(Dsse.IN_TOTO_PAYLOAD_TYPE, payload);
        Optional<AcceptedKey> signer = Optional.empty();
        for (JsonNode signature : envelope.path("signatures")) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(signature.path("sig").asText());
            } catch (IllegalArgumentException e) {
                continue;
            }
            signer = keys.stream().filter(key -> key.key().verifies(signed, bytes)).findFirst();
            if (signer.isPresent()) {
                break;
            }
        }
        if (signer.isEmpty()) {
            throw new InvalidSignatureException("not signed by an accepted key (another key signed it, or it was altered)");
        }
        return new Verified(signer.get(), InTotoStatement.parse(payload, expected));
    }
}
