package dev.berth.cli.commands.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.distribution.RegistryClient;
import dev.berth.distribution.auth.Credentials;
import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.RequestBody;
import dev.berth.distribution.http.Response;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code berth login HOST --device}: the registry asks its identity provider for a device sign-in,
 * the person approves it in a browser anywhere, and the registry answers with a personal access
 * token, which is then saved like a password so that podman, skopeo and docker can use it too.
 */
final class DeviceLogin {
    private static final long MAX_RESPONSE_BYTES = 64 * 1024;
    /** RFC 8628: a client told to slow down adds five seconds to its interval. */
    private static final long SLOW_DOWN_SECONDS = 5;

    private final RegistryClient registry;
    private final String host;

    /** {@code registry}: a client without the saved credentials, which may be the expired ones being replaced. */
    DeviceLogin(RegistryClient registry, String host) {
        this.registry = registry;
        this.host = host;
    }

    Credentials signIn(PrintWriter out) throws IOException {
        JsonNode started = post("start", "{}".getBytes(StandardCharsets.US_ASCII));
        String deviceCode = field(started, "device_code");
        out.println("Open " + field(started, "verification_uri") + " and enter code " + field(started, "user_code"));
        if (started.hasNonNull("verification_uri_complete")) {
            out.println("(or open " + started.get("verification_uri_complete").asText() + ", which has the code in it)");
        }
        out.flush();
        long interval = Math.max(1, started.path("interval").asLong(5));
        Instant deadline = Instant.now().plusSeconds(Math.max(1, started.path("expires_in").asLong(600)));
        byte[] poll = Json.write(Json.mapper().createObjectNode().put("device_code", deviceCode));
        while (Instant.now().isBefore(deadline)) {
            sleep(Duration.ofSeconds(interval));
            JsonNode answer = post("poll", poll);
            switch (answer.path("status").asText()) {
                case "pending" -> {
                }
                case "slow_down" -> interval += SLOW_DOWN_SECONDS;
                case "denied" -> throw new BerthException("DENIED", "the device sign-in to " + host
                        + " was denied at the identity provider: run berth login " + host + " --device again to retry");
                case "expired" -> throw expired();
                case "signed-in" -> {
                    return new Credentials(field(answer, "username"), field(answer, "token"));
                }
                default -> throw new BerthException("REGISTRY_ERROR", host + " answered the device sign-in with status \""
                        + answer.path("status").asText() + "\": is it a berth registry?");
            }
        }
        throw expired();
    }

    private BerthException expired() {
        return new BerthException("EXPIRED", "the device sign-in to " + host + " expired before it was approved:"
                + " run berth login " + host + " --device again");
    }

    private JsonNode post(String step, byte[] body) throws IOException {
        Response response = registry.send(new RegistryClient.Call("POST", registry.uri("/auth/oidc/device/" + step),
                Scope.REGISTRY, RequestBody.of(body), "Content-Type", "application/json"));
        if (response.status() == 404) {
            response.close();
            throw new BerthException("UNSUPPORTED", host + " offers no device sign-in (its config has no [auth.oidc]):"
                    + " log in with berth login " + host + " -u USER");
        }
        if (response.status() != 200) {
            throw registry.failure(response, "device sign-in");
        }
        byte[] bytes;
        try (response) {
            bytes = response.body().readNBytes((int) MAX_RESPONSE_BYTES + 1);
        }
        if (bytes.length > MAX_RESPONSE_BYTES) {
            throw new BerthException("REGISTRY_ERROR", host + " answered the device sign-in with more than "
                    + MAX_RESPONSE_BYTES + " bytes");
        }
        return Json.tree(bytes, "the device sign-in answer of " + host);
    }

    private String field(JsonNode answer, String name) {
        JsonNode value = answer.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new BerthException("REGISTRY_ERROR", host + " answered the device sign-in without " + name);
        }
        return value.asText();
    }

    private static void sleep(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the device sign-in");
        }
    }
}
