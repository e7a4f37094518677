package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.distribution.Registries;
import dev.berth.distribution.RegistryClient;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.distribution.auth.Credentials;
import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.RequestBody;
import dev.berth.distribution.http.Response;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A berth registry's access API under {@code /berth/v1/}, spoken as the saved login: its
 * credentials go as Basic on every request, as the API asks. Errors come back as the API's one line.
 */
final class AccessClient implements AutoCloseable {
    private static final int MAX_ANSWER_BYTES = 16 << 20;
    private static final int MAX_MESSAGE = 300;

    private final Registries registries;
    private final RegistryClient client;
    private final Optional<Credentials> login;

    AccessClient(Registries registries, RegistryClient client, Optional<Credentials> login) {
        this.registries = registries;
        this.client = client;
        this.login = login;
    }

    /** The API of {@code host}, spoken as the login {@code flags} find for it. */
    static AccessClient open(RegistryFlags flags, String host) throws IOException {
        // Anonymous to the registry's token flow: the access API takes the login itself, as Basic.
        Registries registries = flags.anonymousRegistries();
        try {
            return new AccessClient(registries, registries.client(host), flags.credentials().lookup(host));
        } catch (IOException | RuntimeException e) {
            registries.close();
            throw e;
        }
    }

    String registry() {
        return client.registry();
    }

    /** The user the saved login signs in as, or "USER" when none is saved. */
    String user() {
        return login.map(Credentials::username).orElse("USER");
    }

    JsonNode get(String path) throws IOException {
        return send("GET", path, null);
    }

    /** Sends {@code body} (null: none) as JSON; returns the answer's JSON, or null for an empty answer. */
    JsonNode send(String method, String path, Object body) throws IOException {
        List<String> headers = new ArrayList<>(List.of("Accept", "application/json"));
        login.ifPresent(credentials -> headers.addAll(List.of("Authorization", "Basic " + credentials.basicToken())));
        RequestBody bytes = null;
        if (body != null) {
            bytes = RequestBody.of(Json.write(body));
            headers.addAll(List.of("Content-Type", "application/json"));
        }
        try (Response response = client.send(new RegistryClient.Call(method, client.uri("/berth/v1/" + path), Scope.REGISTRY,
                bytes, headers.toArray(String[]::new)))) {
            byte[] answer = response.body().readNBytes(MAX_ANSWER_BYTES);
            if (response.status() >= 400) {
                throw failure(method, path, response.status(), answer);
            }
            return answer.length == 0 ? null : Json.tree(answer, registry() + "'s answer to " + method + " /berth/v1/" + path);
        }
    }

    /** The API's own message when it sent one; a proxy's HTML or a registry without the API leaves only the status. */
    private BerthException failure(String method, String path, int status, byte[] answer) {
        try {
            JsonNode error = Json.mapper().readTree(answer).path("errors").path(0);
            if (error.hasNonNull("message")) {
                return new BerthException(error.path("code").asText("REGISTRY_ERROR"), printable(error.get("message").asText()));
            }
        } catch (IOException | RuntimeException notJson) {
            // falls through to the status
        }
        if (status == 404) {
            return new BerthException("NOT_FOUND", registry() + " has no access API at /berth/v1/" + path
                    + ": is it a berth registry with an [auth] table?");
        }
        return new BerthException("REGISTRY_ERROR", method + " /berth/v1/" + path + " on " + registry() + " failed: HTTP " + status);
    }

    /** A user, project or robot name as one path segment: it must not climb to another endpoint. */
    static String segment(String what, String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("?") || name.contains("%") || name.startsWith(".")) {
            throw new BerthException("NAME_INVALID", "invalid " + what + " name \"" + name + "\"");
        }
        return name;
    }

    /** Registry messages reach the terminal: keep them to one line of printable text. */
    private static String printable(String message) {
        String cleaned = message.replaceAll("\\p{Cntrl}", " ");
        return cleaned.length() > MAX_MESSAGE ? cleaned.substring(0, MAX_MESSAGE) + "..." : cleaned;
    }

    @Override
    public void close() {
        registries.close();
    }
}
