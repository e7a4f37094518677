package dev.berth.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classes beyond public/internal/private — restricted by network, exec-only with runner
 * robots — licence gates, robots' limits and expiry, and what the project API refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharingConditionsTest {
    private static final String USER_PASSWORD = "a-long-user-password";

    private AuthRegistry registry;
    private String admin;
    private Path work;

    /** Where the registries of this class keep their metadata; {@link SharingConditionsOnPostgresTest} runs the class on PostgreSQL. */
    MetaDatabase database() {
        return MetaDatabase.SQLITE;
    }

    @BeforeAll
    void setUp(@TempDir Path root) throws Exception {
        work = Files.createDirectories(root.resolve("work"));
        registry = AuthRegistry.start(root.resolve("registry"), database());
        admin = registry.adminPassword();
        for (String user : List.of("outsider", "developer", "maintainer")) {
            registry.addUser("admin", admin, user, USER_PASSWORD);
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        registry.close();
    }

    private void project(String name, Map<String, Object> settings) throws Exception {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("name", name);
        registry.expect(201, "admin", admin, "POST", "projects", body);
        registry.expect(200, "admin", admin, "PUT", "projects/" + name + "/members/developer", Map.of("role", "developer"));
        registry.expect(200, "admin", admin, "PUT", "projects/" + name + "/members/maintainer", Map.of("role", "maintainer"));
        push(name + "/app");
    }

    private void push(String repository) throws Exception {
        String token = registry.token("admin", admin, "repository:" + repository + ":pull,push");
        registry.api.withHeaders("Authorization", AuthRegistry.bearer(token)).pushImage(repository, "v1", 1);
    }

    /** A manifest GET as {@code user} after asking the token endpoint for pull. */
    private HttpResponse<byte[]> pull(String user, String secret, String repository) throws Exception {
        String token = registry.token(user, secret, "repository:" + repository + ":pull");
        return registry.api.get("/v2/" + repository + "/manifests/v1", "Authorization", AuthRegistry.bearer(token),
                "Accept", "application/vnd.oci.image.manifest.v1+json");
    }

    @Test
    void restrictedByNetworkLetsOnlyClientsFromListedNetworksPull() throws Exception {
        project("netlab", Map.of("class", "restricted", "networks", List.of("10.0.0.0/8")));
        HttpResponse<byte[]> refused = pull("outsider", USER_PASSWORD, "netlab/app");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Api.text(refused)).contains("repository netlab/app is restricted: pulling needs a client address in 10.0.0.0/8");
        assertThat(pull(null, null, "netlab/app").statusCode()).isEqualTo(401);

        registry.expect(200, "admin", admin, "PUT", "projects/netlab", Map.of("networks", List.of("127.0.0.0/8")));
        assertThat(pull("outsider", USER_PASSWORD, "netlab/app").statusCode()).isEqualTo(200);
        assertThat(pull(null, null, "netlab/app").statusCode()).as("a network condition alone admits anonymous clients").isEqualTo(200);
        Map<?, ?> shown = (Map<?, ?>) registry.expect(200, "outsider", USER_PASSWORD, "GET", "projects/netlab", null);
        assertThat(shown.get("class")).isEqualTo("restricted");
        assertThat(shown.get("networks")).isEqualTo(List.of("127.0.0.0/8"));

        HttpResponse<byte[]> invalid = registry.call("admin", admin, "PUT", "projects/netlab", Map.of("networks", List.of("10.0.0.0/40")));
        assertThat(invalid.statusCode()).isEqualTo(400);
    }

    @Test
    void execOnlyIsPulledByRunnerRobotsAndMaintainersOnly() throws Exception {
        project("hpc", Map.of("class", "exec-only"));
        Map<?, ?> runner = (Map<?, ?>) registry.expect(201, "maintainer", USER_PASSWORD, "POST", "projects/hpc/robots",
                Map.of("name", "nodes", "runner", true));
        Map<?, ?> ci = (Map<?, ?>) registry.expect(201, "maintainer", USER_PASSWORD, "POST", "projects/hpc/robots",
                Map.of("name", "ci", "scopes", List.of("hpc/*:pull,push")));
        assertThat(runner.get("name")).isEqualTo("hpc+nodes");
        assertThat(runner.get("scopes")).isEqualTo(List.of("hpc/*:pull"));

        assertThat(pull("hpc+nodes", (String) runner.get("token"), "hpc/app").statusCode()).isEqualTo(200);
        assertThat(pull("maintainer", USER_PASSWORD, "hpc/app").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> developer = pull("developer", USER_PASSWORD, "hpc/app");
        assertThat(developer.statusCode()).isEqualTo(401);
        assertThat(Api.text(developer)).contains("repository hpc/app is exec-only");
        assertThat(pull("hpc+ci", (String) ci.get("token"), "hpc/app").statusCode()).isEqualTo(401);
        assertThat(pull("outsider", USER_PASSWORD, "hpc/app").statusCode()).isEqualTo(401);

        String push = registry.token("developer", USER_PASSWORD, "repository:hpc/tool:pull,push");
        registry.api.withHeaders("Authorization", AuthRegistry.bearer(push)).pushImage("hpc/tool", "v1", 1);

        HttpResponse<byte[]> byDeveloper = registry.call("developer", USER_PASSWORD, "POST", "projects/hpc/robots", Map.of("name", "x"));
        assertThat(byDeveloper.statusCode()).isEqualTo(403);
    }

    @Test
    void robotsStayInTheirProjectStopAtTheirExpiryAndWhenRemoved() throws Exception {
        project("ci", Map.of("class", "private"));
        project("other", Map.of("class", "internal"));
        HttpResponse<byte[]> outside = registry.call("admin", admin, "POST", "projects/ci/robots",
                Map.of("name", "wide", "scopes", List.of("other/*:pull")));
        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(Api.text(outside)).contains("reaches outside project ci");

        Map<?, ?> builder = (Map<?, ?>) registry.expect(201, "admin", admin, "POST", "projects/ci/robots",
                Map.of("name", "builder", "scopes", List.of("ci/*:pull,push")));
        String secret = (String) builder.get("token");
        assertThat(pull("ci+builder", secret, "ci/app").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> internal = pull("ci+builder", secret, "other/app");
        assertThat(internal.statusCode()).as("an internal project is not open to another project's robot").isEqualTo(401);
        assertThat(Api.text(internal)).contains("robot ci+builder serves project ci only");
        assertThat(registry.call("ci+builder", secret, "POST", "tokens", Map.of("name", "mine")).statusCode()).isEqualTo(403);

        registry.expect(204, "admin", admin, "DELETE", "projects/ci/robots/builder", null);
        assertThat(registry.tokenResponse("ci+builder", secret, "repository:ci/app:pull").statusCode()).isEqualTo(401);

        Map<?, ?> brief = (Map<?, ?>) registry.expect(201, "admin", admin, "POST", "projects/ci/robots",
                Map.of("name", "brief", "expires", "1s"));
        String briefSecret = (String) brief.get("token");
        Thread.sleep(2_100);
        assertThat(registry.tokenResponse("ci+brief", briefSecret, "repository:ci/app:pull").statusCode()).isEqualTo(401);
        List<?> robots = (List<?>) registry.expect(200, "admin", admin, "GET", "projects/ci/robots", null);
        assertThat(robots.stream().map(robot -> (Object) ((Map<?, ?>) robot).get("name")).toList()).containsExactly((Object) "ci+brief");
    }

    @Test
    void aGatedLicenceIsAcceptedOnceItsCurrentTextIsReadAndTheAcceptanceIsRecorded() throws Exception {
        project("lic", Map.of("class", "internal"));
        registry.expect(200, "maintainer", USER_PASSWORD, "PUT", "repositories/lic/app/settings",
                Map.of("licence", Map.of("spdx", "LicenseRef-academic-only", "text", "For academic research only.")));
        HttpResponse<byte[]> gated = pull("outsider", USER_PASSWORD, "lic/app");
        assertThat(gated.statusCode()).isEqualTo(401);
        assertThat(Api.text(gated)).contains("under the licence LicenseRef-academic-only, which outsider has not accepted")
                .contains("berth licence accept " + registry.hostPort() + "/lic/app");
        assertThat(pull("developer", USER_PASSWORD, "lic/app").statusCode()).as("publishers are not gated").isEqualTo(200);

        Map<?, ?> licence = (Map<?, ?>) registry.expect(200, "outsider", USER_PASSWORD, "GET", "repositories/lic/app/licence", null);
        assertThat(licence.get("text")).isEqualTo("For academic research only.");
        assertThat(licence.get("accepted")).isEqualTo(false);
        assertThat(registry.call("outsider", USER_PASSWORD, "POST", "repositories/lic/app/licence/acceptance",
                Map.of("digest", "sha256:" + "0".repeat(64))).statusCode()).isEqualTo(409);
        registry.expect(201, "outsider", USER_PASSWORD, "POST", "repositories/lic/app/licence/acceptance",
                Map.of("digest", licence.get("digest")));
        assertThat(pull("outsider", USER_PASSWORD, "lic/app").statusCode()).isEqualTo(200);

        List<?> audit = (List<?>) registry.expect(200, "admin", admin, "GET", "audit?project=lic&since=" + java.time.Instant.now().minusSeconds(3600), null);
        assertThat(audit).anySatisfy(event -> {
            assertThat(((Map<?, ?>) event).get("event")).isEqualTo("licence-accepted");
            assertThat(((Map<?, ?>) event).get("actor")).isEqualTo("outsider");
            assertThat((String) ((Map<?, ?>) event).get("target")).contains((String) licence.get("digest"));
        });

        registry.expect(200, "maintainer", USER_PASSWORD, "PUT", "repositories/lic/app/settings",
                Map.of("licence", Map.of("spdx", "LicenseRef-academic-only", "text", "For academic research only, v2.")));
        assertThat(pull("outsider", USER_PASSWORD, "lic/app").statusCode()).as("a new text is accepted anew").isEqualTo(401);
        assertThat(registry.call("developer", USER_PASSWORD, "PUT", "repositories/lic/app/settings",
                Map.of("class", "public")).statusCode()).isEqualTo(403);
    }

    @Test
    void aProjectWithRepositoriesIsNotDeletedAndTheApiDescribesItself() throws Exception {
        project("busy", Map.of("class", "private"));
        HttpResponse<byte[]> refused = registry.call("admin", admin, "DELETE", "projects/busy", null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(Api.text(refused)).contains("project busy still has repositories (busy/app)");
        registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "empty"));
        registry.expect(204, "admin", admin, "DELETE", "projects/empty", null);
        assertThat(registry.call("admin", admin, "GET", "projects/empty", null).statusCode()).isEqualTo(404);

        HttpResponse<byte[]> description = registry.api.get("/berth/v1/openapi.yaml");
        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(new String(description.body(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("openapi: 3.").contains("/projects/{project}/robots:");
    }

    @Test
    void theCatalogHonoursThePersonalTokenItWasAskedWith() throws Exception {
        project("cat", Map.of("class", "private"));
        push("cat/second");
        Map<?, ?> pat = (Map<?, ?>) registry.expect(201, "developer", USER_PASSWORD, "POST", "tokens",
                Map.of("name", "one-repo", "scopes", List.of("cat/app:pull")));
        String token = registry.token("developer", (String) pat.get("token"), "registry:catalog:*");
        String catalog = Api.text(registry.api.get("/v2/_catalog", "Authorization", AuthRegistry.bearer(token)));
        assertThat(catalog).contains("cat/app").doesNotContain("cat/second");
    }
}
