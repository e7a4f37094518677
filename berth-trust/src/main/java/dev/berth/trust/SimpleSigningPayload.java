package dev.berth.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;

import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON a cosign signature signs: which manifest digest, under which repository name, and
 * (unsigned by intent, but covered by the signature) who made it and when. Parsing is as strict
 * as containers/image's: exactly the fields the specification names, so that a payload with
 * anything added is refused rather than half-read.
 */
public record SimpleSigningPayload(Digest manifestDigest, String dockerReference, Optional<String> creator,
                                   Optional<Instant> timestamp) {
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String TYPE = "cosign container image signature";

    public static SimpleSigningPayload of(Digest manifestDigest, String dockerReference, String creator, Instant when) {
        return new SimpleSigningPayload(manifestDigest, dockerReference, Optional.of(creator),
                Optional.of(Instant.ofEpochSecond(when.getEpochSecond())));
    }

    public byte[] bytes() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode critical = json.objectNode();
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
        critical.put("type", TYPE);
        ObjectNode optional = json.objectNode();
        creator.ifPresent(name -> optional.put("creator", name));
        timestamp.ifPresent(when -> optional.put("timestamp", when.getEpochSecond()));
        ObjectNode payload = json.objectNode();
        payload.set("critical", critical);
        payload.set("optional", optional);
        return Json.write(payload);
    }

    /** Parses a payload whose signature has already been checked; an error says which rule it breaks. */
    public static SimpleSigningPayload parse(byte[] bytes) {
        JsonNode root = Json.tree(bytes, "signature payload");
        exactly(root, "payload", "critical", "optional");
        JsonNode critical = root.get("critical");
        exactly(critical, "critical", "identity", "image", "type");
        if (!TYPE.equals(critical.get("type").asText(null))) {
            throw new InvalidSignatureException("its type is " + critical.get("type") + ", not \"" + TYPE + "\"");
        }
        exactly(critical.get("image"), "critical.image", "docker-manifest-digest");
        exactly(critical.get("identity"), "critical.identity", "docker-reference");
        String digestText = text(critical.get("image").get("docker-manifest-digest"), "docker-manifest-digest");
        if (!Digest.isValid(digestText)) {
            throw new InvalidSignatureException("its docker-manifest-digest " + digestText + " is not a digest");
        }
        String reference = text(critical.get("identity").get("docker-reference"), "docker-reference");
        JsonNode optional = root.get("optional");
        Optional<String> creator = Optional.empty();
        Optional<Instant> timestamp = Optional.empty();
        if (!optional.isNull()) {
            if (!optional.isObject()) {
                throw new InvalidSignatureException("its optional field is not an object");
            }
            creator = Optional.ofNullable(optional.get("creator")).map(node -> text(node, "optional.creator"));
            JsonNode when = optional.get("timestamp");
            if (when != null) {
                if (!when.canConvertToExactIntegral()) {
                    throw new InvalidSignatureException("its optional.timestamp is not a whole number");
                }
                timestamp = Optional.of(Instant.ofEpochSecond(when.asLong()));
            }
        }
        return new SimpleSigningPayload(Digest.parse(digestText), reference, creator, timestamp);
    }

    private static void exactly(JsonNode node, String where, String... names) {
        if (node == null || !node.isObject()) {
            throw new InvalidSignatureException("its " + where + " is not a JSON object");
        }
        Set<String> expected = Set.of(names);
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!expected.contains(field)) {
                throw new InvalidSignatureException("its " + where + " has a field the specification does not name: " + field);
            }
        }
        for (String name : names) {
            if (!node.has(name)) {
                throw new InvalidSignatureException("its " + where + " lacks " + name);
            }
        }
    }

    private static String text(JsonNode node, String name) {
        if (!node.isTextual()) {
            throw new InvalidSignatureException("its " + name + " is not a string");
        }
        return node.asText();
    }
}
