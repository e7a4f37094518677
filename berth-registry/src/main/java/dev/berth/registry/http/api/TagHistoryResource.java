package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.TagChanges;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Action;
import dev.berth.registry.meta.TagHistory;
import dev.berth.registry.trust.ImageTrust;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A repository's tags through time: {@code tags} (where each points now, and whether that image
 * is trusted), {@code history} (every
 * move: from, to, who, from where, when) and {@code restore} (point a tag back at an earlier
 * manifest, by digest or by the time it pointed there). Reading needs the right to pull,
 * restoring the right to push: a restore is a push of a manifest the repository already holds.
 */
final class TagHistoryResource {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Access access;
    private final Registry registry;
    private final ImageTrust trust;

    TagHistoryResource(Access access, Registry registry, ImageTrust trust) {
        this.access = access;
        this.registry = registry;
        this.trust = trust;
    }

    void handle(ApiCall call, String repository, String endpoint) throws IOException {
        switch (endpoint + " " + call.method()) {
            case "tags GET" -> {
                require(call, repository, Action.PULL);
                call.ok(200, tags(repository));
            }
            case "history GET" -> {
                require(call, repository, Action.PULL);
                call.ok(200, history(call, repository));
            }
            case "restore POST" -> restore(call, repository);
            default -> throw methodNotAllowed(call.method());
        }
    }

    /** Each tag with its digest and that image's trust state. */
    private ObjectNode tags(String repository) throws IOException {
        ObjectNode json = Json.mapper().createObjectNode().put("repository", repository);
        ArrayNode tags = json.putArray("tags");
        for (String tag : registry.manifests().tags(repository)) {
            Digest digest = registry.manifests().taggedNow(repository, tag);
            if (digest != null) {
                ObjectNode entry = tags.addObject().put("tag", tag);
                entry.setAll(TrustResource.json(trust.of(repository, digest)));
            }
        }
        return json;
    }

    private ObjectNode history(ApiCall call, String repository) {
        String tag = call.query("tag");
        if (tag != null) {
            requireTag(tag);
        }
        int limit = limit(call.query("limit"));
        ObjectNode json = Json.mapper().createObjectNode().put("repository", repository);
        ArrayNode moves = json.putArray("moves");
        for (TagHistory.Move move : access.tagHistory().of(repository, tag, limit)) {
            moves.addObject().put("tag", move.tag()).put("at", move.at().toString())
                    .put("from", move.from() == null ? null : move.from().toString())
                    .put("to", move.to() == null ? null : move.to().toString())
                    .put("actor", move.actor()).put("address", move.address()).put("client", move.client());
        }
        return json;
    }

    /** Body: {@code tag} and either {@code digest} or {@code at} (an ISO-8601 instant). */
    private void restore(ApiCall call, String repository) throws IOException {
        require(call, repository, Action.PUSH);
        JsonNode body = call.body();
        String tag = requireTag(ApiCall.text(body, "tag"));
        Digest digest;
        if (body.hasNonNull("digest")) {
            digest = ApiCall.parse(() -> Digest.parse(ApiCall.text(body, "digest")));
        } else {
            Instant at = instant(ApiCall.text(body, "at"));
            digest = access.tagHistory().pointedAt(repository, tag, at).orElseThrow(() -> new RegistryException(
                    ErrorCode.MANIFEST_UNKNOWN, "tag " + tag + " of " + repository + " pointed at nothing at " + at
                    + " that berth recorded: see berth tags --history"));
        }
        Digest before = registry.manifests().taggedNow(repository, tag);
        boolean moved = registry.manifests().restoreTag(repository, tag, digest,
                new TagChanges.Actor(call.caller().name(), call.caller().robot() ? "robot" : "user", call.address(),
                        call.request().getHeaders().get("User-Agent")));
        if (moved) {
            access.audit().append(call.caller().name(), call.address(), "tag-restored", repository + ":" + tag + " "
                    + (before == null ? "(none)" : before) + " -> " + digest, true);
        }
        call.ok(200, Json.mapper().createObjectNode().put("repository", repository).put("tag", tag)
                .put("from", before == null ? null : before.toString()).put("to", digest.toString()).put("moved", moved));
    }

    private void require(ApiCall call, String repository, Action action) {
        if (!access.policy().allowed(call.caller(), repository, call.address()).contains(action)) {
            throw action == Action.PULL
                    ? new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repository
                    + " does not exist or you may not pull from it")
                    : new RegistryException(ErrorCode.DENIED, "moving a tag of " + repository + " needs the right to push to it");
        }
        if (!registry.manifests().repositories().contains(repository)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repository + " does not exist");
        }
    }

    private static String requireTag(String tag) {
        if (!Names.isTag(tag)) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"" + tag + "\" is not a tag");
        }
        return tag;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "limit must be a number from 1 to " + MAX_LIMIT);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"" + text + "\" is not a time: use ISO 8601 in UTC,"
                    + " e.g. 2026-12-04T10:15:00Z");
        }
    }
}
