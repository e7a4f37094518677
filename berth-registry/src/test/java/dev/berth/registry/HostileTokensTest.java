package dev.berth.registry;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.oci.BerthException;
import dev.berth.oci.MediaType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tokens and credentials an attacker would try: expired, re-signed, unsigned, for another service
 * or repository, revoked or scoped personal tokens; and what the registry keeps and says about secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileTokensTest {
    private static final String PASSWORD = "alice-password-1";

    private Path root;
    private AuthRegistry registry;
    private String adminPassword;

    /** Where the registries of this class keep their metadata; {@link HostileTokensOnPostgresTest} runs the class on PostgreSQL. */
    MetaDatabase database() {
        return MetaDatabase.SQLITE;
    }

    @BeforeAll
    void setUp(@TempDir Path directory) throws Exception {
        root = directory;
        registry = AuthRegistry.start(root, database());
        adminPassword = registry.adminPassword();
        registry.addUser("admin", adminPassword, "alice", PASSWORD);
        registry.expect(201, "alice", PASSWORD, "POST", "projects", Map.of("name", "lab", "class", "private"));
        registry.expect(201, "alice", PASSWORD, "POST", "projects", Map.of("name", "open", "class", "public"));
        for (String repository : List.of("lab/tool", "open/tool")) {
            String token = registry.token("alice", PASSWORD, "repository:" + repository + ":pull,push");
            registry.api.withHeaders("Authorization", AuthRegistry.bearer(token)).pushImage(repository, "v1", 1);
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        registry.close();
    }

    private int pull(String repository, String token) throws Exception {
        return registry.api.get("/v2/" + repository + "/manifests/v1", "Accept", MediaType.OCI_MANIFEST,
                "Authorization", AuthRegistry.bearer(token)).statusCode();
    }

    private JWTClaimsSet.Builder claims(String audience, Instant expires, String repository) {
        return new JWTClaimsSet.Builder().issuer("berth").subject("alice").audience(audience)
                .issueTime(Date.from(Instant.now().minusSeconds(600))).expirationTime(Date.from(expires))
                .claim("access", List.of(Map.of("type", "repository", "name", repository, "actions", List.of("pull"))));
    }

    private static String sign(OctetSequenceKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    private static String signWithKeyPair(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void onlyTokensSignedByTheRegistryForItsServiceAndStillValidAreHonoured() throws Exception {
        OctetSequenceKey registryKey = OctetSequenceKey.parse(Files.readString(root.resolve("token-secret.jwk")));
        Instant later = Instant.now().plusSeconds(300);
        // The forgery kit works: a token made this way with nothing wrong is honoured.
        assertThat(pull("lab/tool", sign(registryKey, claims("berth", later, "lab/tool").build()))).isEqualTo(200);

        assertThat(pull("lab/tool", sign(registryKey, claims("berth", Instant.now().minusSeconds(600), "lab/tool").build())))
                .as("expired").isEqualTo(401);
        assertThat(pull("lab/tool", sign(registryKey, claims("another-registry", later, "lab/tool").build())))
                .as("another audience").isEqualTo(401);
        OctetSequenceKey stranger = new OctetSequenceKeyGenerator(256).keyID(registryKey.getKeyID()).generate();
        assertThat(pull("lab/tool", sign(stranger, claims("berth", later, "lab/tool").build())))
                .as("wrong secret under the registry's kid").isEqualTo(401);
        ECKey keyPair = new ECKeyGenerator(Curve.P_256).keyID(registryKey.getKeyID()).generate();
        assertThat(pull("lab/tool", signWithKeyPair(keyPair, claims("berth", later, "lab/tool").build())))
                .as("ES256 under the registry's kid").isEqualTo(401);
        assertThat(pull("lab/tool", new PlainJWT(claims("berth", later, "lab/tool").build()).serialize()))
                .as("alg none").isEqualTo(401);
        String forOpen = registry.token("alice", PASSWORD, "repository:open/tool:pull");
        assertThat(pull("open/tool", forOpen)).isEqualTo(200);
        assertThat(pull("lab/tool", forOpen)).as("a token for another repository").isEqualTo(401);
    }

    @Test
    void theTokenServiceGrantsOnlyWhatThePolicyAllows() throws Exception {
        registry.addUser("admin", adminPassword, "mallory", "mallory-password");
        String token = registry.token("mallory", "mallory-password", "repository:lab/tool:pull,push,delete");
        assertThat(pull("lab/tool", token)).isEqualTo(401);
        String anonymous = registry.token(null, null, "repository:open/tool:pull,push", "repository:lab/tool:pull");
        assertThat(pull("open/tool", anonymous)).isEqualTo(200);
        assertThat(pull("lab/tool", anonymous)).isEqualTo(401);
        HttpResponse<byte[]> push = registry.api.send("POST", "/v2/open/tool/blobs/uploads/", null,
                "Authorization", AuthRegistry.bearer(anonymous));
        assertThat(push.statusCode()).isEqualTo(401);
        assertThat(Api.errorCode(push)).isEqualTo("DENIED");
    }

    @Test
    void personalTokensWorkAsPasswordsUntilRevokedOrExpiredAndStayInTheirScope() throws Exception {
        Map<?, ?> created = (Map<?, ?>) registry.expect(201, "alice", PASSWORD, "POST", "tokens",
                Map.of("name", "ci", "scopes", List.of("lab/*:pull")));
        String pat = (String) created.get("token");
        assertThat(pat).startsWith("berth_pat_");
        String token = registry.token("alice", pat, "repository:lab/tool:pull,push");
        assertThat(pull("lab/tool", token)).isEqualTo(200);
        assertThat(registry.api.send("POST", "/v2/lab/tool/blobs/uploads/", null, "Authorization", AuthRegistry.bearer(token))
                .statusCode()).as("push with a pull-only token").isEqualTo(401);
        assertThat(registry.tokenResponse("mallory", pat).statusCode()).as("someone else's token").isEqualTo(401);

        registry.expect(204, "alice", PASSWORD, "DELETE", "tokens/" + created.get("id"), null);
        assertThat(registry.tokenResponse("alice", pat, "repository:lab/tool:pull").statusCode()).isEqualTo(401);
        assertThat(registry.call("alice", pat, "GET", "projects", null).statusCode()).isEqualTo(401);

        Map<?, ?> shortLived = (Map<?, ?>) registry.expect(201, "alice", PASSWORD, "POST", "tokens",
                Map.of("name", "short", "expires", "1s"));
        String expiring = (String) shortLived.get("token");
        Instant deadline = Instant.now().plusSeconds(10);
        while (registry.tokenResponse("alice", expiring).statusCode() == 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
        }
        assertThat(registry.tokenResponse("alice", expiring).statusCode()).as("expired personal token").isEqualTo(401);
    }

    @Test
    void aRefreshTokenFromAnOfflineLoginGetsNewTokens() throws Exception {
        HttpResponse<byte[]> offline = registry.api.get("/auth/token?service=berth&offline_token=true&client_id=test",
                "Authorization", AuthRegistry.basic("alice", PASSWORD));
        String refresh = (String) Api.jsonObject(offline.body()).get("refresh_token");
        assertThat(refresh).startsWith("berth_rt_");
        HttpResponse<byte[]> renewed = registry.api.send("POST", "/auth/token",
                ("grant_type=refresh_token&service=berth&client_id=test&scope=repository:lab/tool:pull&refresh_token=" + refresh)
                        .getBytes(), "Content-Type", "application/x-www-form-urlencoded");
        assertThat(renewed.statusCode()).as(Api.text(renewed)).isEqualTo(200);
        assertThat(pull("lab/tool", (String) Api.jsonObject(renewed.body()).get("access_token"))).isEqualTo(200);
        HttpResponse<byte[]> forged = registry.api.send("POST", "/auth/token",
                "grant_type=refresh_token&service=berth&refresh_token=berth_rt_forged".getBytes(),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSameAnswerAndNoSecretIsStoredInClear() throws Exception {
        HttpResponse<byte[]> unknown = registry.tokenResponse("nobody", PASSWORD);
        HttpResponse<byte[]> wrong = registry.tokenResponse("alice", "not-the-password");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(new String(unknown.body())).isEqualTo(new String(wrong.body()));

        Map<?, ?> created = (Map<?, ?>) registry.expect(201, "alice", PASSWORD, "POST", "tokens", Map.of("name", "kept"));
        String pat = (String) created.get("token");
        // Checked one by one: a failure names the text, not the megabytes of the database's files.
        String stored = database().storedText(root);
        for (String kept : List.of("alice", "$argon2id$")) {
            assertThat(stored.contains(kept)).as("the database's files hold %s", kept).isTrue();
        }
        for (String secret : List.of(PASSWORD, adminPassword, pat, pat.substring("berth_pat_".length()))) {
            assertThat(stored.contains(secret)).as("the database's files hold the secret %s in clear", secret).isFalse();
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> audit = (List<Map<String, Object>>) registry.expect(200, "admin", adminPassword, "GET", "audit", null);
        List<String> events = audit.stream().map(event -> event.get("event") + " " + event.get("outcome")).toList();
        assertThat(events).contains("sign-in failure", "sign-in success", "token-created success", "project-created success",
                "push success");
    }

    @Test
    void theFirstStartAloneMakesTheAdminAndARestartKeepsEverything(@TempDir Path other) throws Exception {
        String first;
        String pat;
        try (AuthRegistry started = AuthRegistry.start(other, database())) {
            first = started.adminPassword();
            started.addUser("admin", first, "bob", "bob-password-1");
            started.expect(201, "bob", "bob-password-1", "POST", "projects", Map.of("name", "kept", "class", "private"));
            pat = (String) ((Map<?, ?>) started.expect(201, "bob", "bob-password-1", "POST", "tokens",
                    Map.of("name", "ci", "scopes", List.of("kept/*:pull")))).get("token");
        }
        try (AuthRegistry again = AuthRegistry.start(other, database())) {
            assertThat(again.console).doesNotContain("admin password");
            again.expect(200, "admin", first, "GET", "users", null);
            Map<?, ?> project = (Map<?, ?>) again.expect(200, "bob", "bob-password-1", "GET", "projects/kept", null);
            assertThat(project.get("class")).isEqualTo("private");
            assertThat(again.tokenResponse("bob", pat, "repository:kept/tool:pull").statusCode())
                    .as("a personal token made before the restart").isEqualTo(200);
        }
    }

    @Test
    void withoutAuthOnlyLoopbackUnlessToldToBeOpen(@TempDir Path other) throws Exception {
        RegistryConfig exposed = RegistryConfig.defaults(other).withListen("0.0.0.0", 0).withGc(Duration.ZERO, Duration.ofHours(1));
        assertThatThrownBy(() -> RegistryServer.start(exposed))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("refusing to listen on 0.0.0.0")
                .hasMessageContaining("[auth]")
                .hasMessageContaining("open = true");
        try (RegistryServer open = RegistryServer.start(exposed.withOpen(true))) {
            assertThat(open.port()).isPositive();
        }
    }
}
