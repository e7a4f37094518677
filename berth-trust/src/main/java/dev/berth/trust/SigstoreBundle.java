package dev.berth.trust;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;

import java.util.Base64;

/**
 * A Sigstore bundle (v0.3) holding a DSSE envelope around an in-toto statement whose subject is
 * an image digest, signed by a key rather than a Fulcio certificate: the form cosign attaches as
 * an OCI 1.1 referrer. It has no transparency log entry, so verifiers must be told not to require one.
 */
public final class SigstoreBundle {
    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    static final String PREDICATE_TYPE = "https://sigstore.dev/cosign/sign/v1";

    private SigstoreBundle() {
    }

    /** The bundle's JSON bytes: {@code key} signs a statement that {@code name} at {@code digest} is this image. */
    public static byte[] sign(String name, Digest digest, SigningKey key) {
        byte[] statement = statement(name, digest);
        byte[] signature = key.sign(Dsse.preAuthenticationEncoding(Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
        Base64.Encoder base64 = Base64.getEncoder();
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode bundle = json.objectNode();
        bundle.put("mediaType", MEDIA_TYPE);
        ObjectNode material = bundle.putObject("verificationMaterial");
        material.putObject("publicKey").put("hint", base64.encodeToString(hexBytes(key.publicKey().fingerprint())));
        material.putArray("tlogEntries");
        ObjectNode envelope = bundle.putObject("dsseEnvelope");
        envelope.put("payload", base64.encodeToString(statement));
        envelope.put("payloadType", Dsse.IN_TOTO_PAYLOAD_TYPE);
        envelope.putArray("signatures").addObject().put("sig", base64.encodeToString(signature));
        return Json.write(bundle);
    }

    private static byte[] statement(String name, Digest digest) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode statement = json.objectNode();
        statement.put("_type", STATEMENT_TYPE);
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", name);
        subject.putObject("digest").put(digest.algorithm().id(), digest.hex());
        statement.put("predicateType", PREDICATE_TYPE);
        statement.putObject("predicate");
        return Json.write(statement);
    }

    private static byte[] hexBytes(Digest digest) {
        return java.util.HexFormat.of().parseHex(digest.hex());
    }
}
