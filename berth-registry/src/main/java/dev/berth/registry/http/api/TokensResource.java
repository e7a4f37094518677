package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryConfigFile;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Principal;
import dev.berth.registry.access.Secrets;
import dev.berth.registry.access.TokenScope;
import dev.berth.registry.meta.Tokens;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code /berth/v1/tokens}: a signed-in user's personal access tokens, listed, created (shown once) and revoked. */
final class TokensResource {
    private final Access access;

    TokensResource(Access access) {
        this.access = access;
    }

    void handle(ApiCall call) throws IOException {
        Principal caller = call.caller();
        call.requireSignedIn("personal access tokens");
        if (caller.robot()) {
            throw new RegistryException(ErrorCode.DENIED, "robots have no personal access tokens");
        }
        String accountId = access.accounts().byName(caller.name()).orElseThrow().id();
        String[] parts = call.path();
        if (parts.length == 1 && call.method().equals("GET")) {
            ArrayNode list = Json.mapper().createArrayNode();
            for (Tokens.Token token : access.tokens().personalTokensOf(accountId)) {
                list.add(json(token));
            }
            call.ok(200, list);
        } else if (parts.length == 1 && call.method().equals("POST")) {
            if (!caller.limits().isEmpty()) {
                throw new RegistryException(ErrorCode.DENIED, "a scoped token cannot make tokens: sign in with a password");
            }
            JsonNode body = call.body();
            String name = ApiCall.text(body, "name");
            List<TokenScope> scopes = scopes(body);
            Instant expires = expiry(body);
            String secret = Secrets.generate(Secrets.PERSONAL_TOKEN_PREFIX);
            Tokens.Token token = access.tokens().create(accountId, Tokens.Kind.PERSONAL, name, Secrets.hash(secret),
                    TokenScope.format(scopes), expires);
            access.audit().append(caller.name(), call.address(), "token-created", token.id() + " " + name, true);
            call.ok(201, json(token).put("token", secret));
        } else if (parts.length == 2 && call.method().equals("DELETE")) {
            if (!access.tokens().revoke(accountId, parts[1])) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "you have no token " + parts[1] + " that is still valid");
            }
            access.audit().append(caller.name(), call.address(), "token-revoked", parts[1], true);
            call.noContent();
        } else {
            throw methodNotAllowed(call.method());
        }
    }

    static List<TokenScope> scopes(JsonNode body) {
        List<TokenScope> scopes = new ArrayList<>();
        for (String scope : ApiCall.words(body, "scopes")) {
            scopes.add(ApiCall.parse(() -> TokenScope.parse(scope)));
        }
        ApiCall.fitting(TokenScope.format(scopes), "scopes");
        return scopes;
    }

    /** The {@code expires} field as a lifetime from now (30d, 12h); absent, null or 0: never. */
    static Instant expiry(JsonNode body) {
        if (!body.hasNonNull("expires")) {
            return null;
        }
        Duration lifetime = ApiCall.parse(() -> RegistryConfigFile.duration(body.get("expires").asText()));
        return lifetime.isZero() ? null : Instant.now().plus(lifetime);
    }

    private static ObjectNode json(Tokens.Token token) {
        ObjectNode json = Json.mapper().createObjectNode().put("id", token.id()).put("name", token.name())
                .put("scopes", token.scopes()).put("created", token.created().toString());
        json.put("expires", token.expires() == null ? null : token.expires().toString());
        json.put("revoked", token.revoked() == null ? null : token.revoked().toString());
        return json;
    }
}
