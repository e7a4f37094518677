package dev.berth.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;

import java.util.Iterator;
import java.util.Map;

/**
 * An in-toto Statement v1: one subject (an image by name and digest), a predicate type, and the
 * predicate. What DSSE envelopes in Sigstore bundles carry, for signatures and attestations alike.
 */
public record InTotoStatement(String subjectName, Digest subjectDigest, String predicateType, JsonNode predicate) {
    public static final String TYPE = "https://in-toto.io/Statement/v1";
    /** cosign's predicate for a plain signature. */
    public static final String COSIGN_SIGN = "https://sigstore.dev/cosign/sign/v1";
    /** A berth registry's record of who pushed an image, signed with the registry's own key. */
    public static final String BERTH_PUSH = "https://berth.dev/attestation/push/v1";
    /** SLSA v1 build provenance. */
    public static final String SLSA_PROVENANCE = "https://slsa.dev/provenance/v1";

    public byte[] bytes() {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("_type", TYPE);
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", subjectName);
        subject.putObject("digest").put(subjectDigest.algorithm().id(), subjectDigest.hex());
        statement.put("predicateType", predicateType);
        statement.set("predicate", predicate == null ? JsonNodeFactory.instance.objectNode() : predicate);
        return Json.write(statement);
    }

    /**
     * Reads a statement whose subjects include {@code expected}; which subject it was is
     * returned. Anything else — another type, no such subject, no predicate — is refused.
     */
    public static InTotoStatement parse(byte[] bytes, Digest expected) {
        JsonNode statement;
        try {
            statement = Json.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new InvalidSignatureException("its statement is not JSON");
        }
        if (statement == null || !TYPE.equals(statement.path("_type").asText())) {
            throw new InvalidSignatureException("its payload is not an in-toto Statement v1");
        }
        if (!statement.path("predicateType").isTextual() || !statement.path("predicate").isObject()) {
            throw new InvalidSignatureException("its statement has no predicateType and predicate");
        }
        for (JsonNode subject : statement.path("subject")) {
            for (Iterator<Map.Entry<String, JsonNode>> digests = subject.path("digest").fields(); digests.hasNext(); ) {
                Map.Entry<String, JsonNode> digest = digests.next();
                if (expected.toString().equals(digest.getKey() + ":" + digest.getValue().asText())) {
                    return new InTotoStatement(subject.path("name").asText(), expected, statement.get("predicateType").asText(),
                            statement.get("predicate"));
                }
            }
        }
        throw new InvalidSignatureException("its statement is about another image, not " + expected);
    }
}
