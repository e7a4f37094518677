package dev.berth.registry;

import dev.berth.oci.Json;
import dev.berth.registry.access.AccessConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry with an {@code [auth]} table on a free loopback port, and the calls a client makes
 * to it: tokens from its token service, the access API with Basic credentials.
 */
final class AuthRegistry implements AutoCloseable {
    final RegistryServer server;
    final Api api;
    /** What the registry printed on its console (the first admin password). */
    final String console;

    private AuthRegistry(RegistryServer server, String console) {
        this.server = server;
        this.api = new Api(server.url());
        this.console = console;
    }

    static AuthRegistry start(Path root) throws IOException {
        return start(root, UnaryOperator.identity());
    }

    static AuthRegistry start(Path root, UnaryOperator<RegistryConfig> customise) throws IOException {
        return start(root, MetaDatabase.SQLITE, customise);
    }

    /** A registry on {@code root} that keeps its accounts, tokens and projects in {@code database}. */
    static AuthRegistry start(Path root, MetaDatabase database) throws IOException {
        return start(root, database, UnaryOperator.identity());
    }

    static AuthRegistry start(Path root, MetaDatabase database, UnaryOperator<RegistryConfig> customise) throws IOException {
        RegistryConfig config = RegistryConfig.defaults(root).withListen("127.0.0.1", 0)
                .withGc(Duration.ZERO, Duration.ofHours(1)).withAccessLog(false)
                .withAuth(database.configure(root, AccessConfig.defaults()));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RegistryServer server = RegistryServer.start(customise.apply(config), new PrintStream(console, true, StandardCharsets.UTF_8));
        return new AuthRegistry(server, console.toString(StandardCharsets.UTF_8));
    }

    /** The password in the one {@code admin password: ...} line, failing when there is not exactly one. */
    String adminPassword() {
        List<String> lines = console.lines().filter(line -> line.startsWith("admin password: ")).toList();
        assertThat(lines).hasSize(1);
        return lines.getFirst().substring("admin password: ".length());
    }

    String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    /** A registry token for the scopes; {@code user} null asks anonymously. */
    String token(String user, String secret, String... scopes) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = tokenResponse(user, secret, scopes);
        assertThat(response.statusCode()).as(Api.text(response)).isEqualTo(200);
        return (String) Api.jsonObject(response.body()).get("token");
    }

    HttpResponse<byte[]> tokenResponse(String user, String secret, String... scopes) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("/auth/token?service=berth");
        for (String scope : scopes) {
            query.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        return user == null ? api.get(query.toString()) : api.get(query.toString(), "Authorization", basic(user, secret));
    }

    /** A call to the access API as {@code user}, with {@code body} (a map or list) as JSON when not null. */
    HttpResponse<byte[]> call(String user, String secret, String method, String path, Object body)
            throws IOException, InterruptedException {
        return api.send(method, "/berth/v1/" + path, body == null ? null : Json.write(body),
                "Authorization", basic(user, secret), "Content-Type", "application/json");
    }

    /** As {@link #call}, failing unless the status is {@code expected}; returns the body as JSON. */
    Object expect(int expected, String user, String secret, String method, String path, Object body)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = call(user, secret, method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + Api.text(response)).isEqualTo(expected);
        return response.body().length == 0 ? null : Json.read(response.body(), Object.class, "API answer");
    }

    void addUser(String admin, String adminPassword, String name, String password) throws IOException, InterruptedException {
        expect(201, admin, adminPassword, "POST", "users", Map.of("name", name, "password", password));
    }

    static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
