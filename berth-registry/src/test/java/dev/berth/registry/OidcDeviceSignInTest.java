package dev.berth.registry;

import dev.berth.registry.access.OidcConfig;
import dev.berth.registry.oidc.OidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /auth/oidc/device/*} against a real OpenID Connect provider, with a person approving or
 * denying on the provider's pages: the registry answers with a personal access token that works
 * with the registry's token service as a password.
 */
class OidcDeviceSignInTest {
    private static final String SECRET = "client-secret-for-tests";

    @TempDir
    static Path dir;
    static OidcProvider provider;
    static AuthRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        provider = OidcProvider.start(dir, SECRET, "http://127.0.0.1/auth/oidc/callback");
        registry = AuthRegistry.start(dir.resolve("registry"), config -> config.withAuth(config.auth().withOidc(
                OidcConfig.from(Map.of("issuer", provider.issuer(), "client-id", OidcProvider.CLIENT_ID,
                        "client-secret", SECRET)))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void anApprovedDeviceSignInGivesAPersonalAccessTokenThatPushesWhereTheRoleAllows() throws Exception {
        Map<String, Object> started = post("device/start", "{}");
        assertThat((String) started.get("verification_uri")).startsWith(provider.issuer());
        assertThat((String) started.get("verification_uri_complete")).contains((String) started.get("user_code"));
        assertThat(((Number) started.get("expires_in")).longValue()).isPositive();
        assertThat(poll(started).get("status")).isEqualTo("pending");

        provider.person("alice").approveDevice(URI.create((String) started.get("verification_uri")),
                (String) started.get("user_code"));
        Map<String, Object> signedIn = pollUntilDone(started);
        assertThat(signedIn).containsEntry("status", "signed-in").containsEntry("username", "alice");
        String token = (String) signedIn.get("token");
        assertThat(token).startsWith("berth_pat_");

        String admin = registry.adminPassword();
        registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "lab", "class", "private"));
        registry.expect(200, "admin", admin, "PUT", "projects/lab/members/alice", Map.of("role", "developer"));
        String granted = registry.token("alice", token, "repository:lab/tool:pull,push", "repository:other/x:pull,push");
        assertThat(granted).isNotEmpty();
        HttpResponse<byte[]> push = registry.api.send("POST", "/v2/lab/tool/blobs/uploads/", null,
                "Authorization", AuthRegistry.bearer(granted));
        assertThat(push.statusCode()).as(Api.text(push)).isEqualTo(202);
        HttpResponse<byte[]> elsewhere = registry.api.send("POST", "/v2/other/x/blobs/uploads/", null,
                "Authorization", AuthRegistry.bearer(granted));
        assertThat(elsewhere.statusCode()).isEqualTo(401);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tokens = (List<Map<String, Object>>) registry.expect(200, "alice", token, "GET", "tokens", null);
        assertThat(tokens).singleElement().satisfies(t -> assertThat((String) t.get("name")).startsWith("berth login --device"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> audit = (List<Map<String, Object>>) registry.expect(200, "admin", admin, "GET", "audit", null);
        assertThat(audit).anySatisfy(e -> assertThat(e).containsEntry("actor", "alice").containsEntry("event", "sign-in")
                .containsEntry("target", "oidc").containsEntry("outcome", "success"));
        assertThat(audit).anySatisfy(e -> assertThat(e).containsEntry("actor", "alice").containsEntry("event", "token-created"));
    }

    @Test
    void aDeniedDeviceSignInSaysDeniedAndMakesNoAccount() throws Exception {
        Map<String, Object> started = post("device/start", "{}");
        provider.person("carol").denyDevice(URI.create((String) started.get("verification_uri")),
                (String) started.get("user_code"));
        assertThat(pollUntilDone(started)).containsEntry("status", "denied").doesNotContainKey("token");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> users = (List<Map<String, Object>>) registry.expect(200, "admin", registry.adminPassword(),
                "GET", "users", null);
        assertThat(users).noneSatisfy(u -> assertThat(u).containsEntry("name", "carol"));
    }

    @Test
    void anUnknownDeviceCodeIsRefused() throws Exception {
        HttpResponse<byte[]> response = registry.api.send("POST", "/auth/oidc/device/poll",
                "{\"device_code\":\"made-up\"}".getBytes(), "Content-Type", "application/json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Api.text(response)).contains("start again with berth login HOST --device");
    }

    @Test
    void aRegistryWhoseProviderIsDownStartsServesAndSaysWhySignInFails() throws Exception {
        // Port 1 on loopback: nothing listens there, so every connection is refused at once.
        try (AuthRegistry cut = AuthRegistry.start(dir.resolve("cut-off"), config -> config.withAuth(config.auth()
                .withOidc(OidcConfig.from(Map.of("issuer", "http://127.0.0.1:1", "client-secret", SECRET)))))) {
            assertThat(cut.api.get("/v2/").statusCode()).isEqualTo(401);
            for (int attempt = 0; attempt < 2; attempt++) {
                HttpResponse<byte[]> response = cut.api.send("POST", "/auth/oidc/device/start", "{}".getBytes(),
                        "Content-Type", "application/json");
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(Api.text(response)).contains("discovery (http://127.0.0.1:1/.well-known/openid-configuration)")
                        .contains("try again later");
            }
        }
    }

    private static Map<String, Object> pollUntilDone(Map<String, Object> started) throws Exception {
        long interval = ((Number) started.get("interval")).longValue();
        for (int attempt = 0; attempt < 10; attempt++) {
            Map<String, Object> answer = poll(started);
            switch ((String) answer.get("status")) {
                case "pending" -> Thread.sleep(interval * 1000);
                case "slow_down" -> Thread.sleep((interval += 5) * 1000);
                default -> {
                    return answer;
                }
            }
        }
        throw new AssertionError("the device sign-in was still pending after 10 polls");
    }

    private static Map<String, Object> poll(Map<String, Object> started) throws IOException, InterruptedException {
        return post("device/poll", "{\"device_code\":\"" + started.get("device_code") + "\"}");
    }

    private static Map<String, Object> post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = registry.api.send("POST", "/auth/oidc/" + path, body.getBytes(),
                "Content-Type", "application/json");
        assertThat(response.statusCode()).as(Api.text(response)).isEqualTo(200);
        return Api.jsonObject(response.body());
    }
}
