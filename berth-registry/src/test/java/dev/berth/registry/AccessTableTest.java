package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageManifest;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registry route × every role × every sharing class: a request the model allows gets past
 * the seam (whatever the route answers then), one it does not is answered 401; the catalog lists
 * exactly what the caller may pull; a mount never takes a blob from a repository the caller cannot read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTableTest {
    private static final List<String> ROLES = List.of("guest", "developer", "maintainer", "owner");
    private static final List<String> CLASSES = List.of("public", "internal", "private");
    /** Who asks: anonymous (null), a signed-in user with no role, and one member per role. */
    private static final List<String> CALLERS = List.of("anonymous", "outsider", "guest", "developer", "maintainer", "owner");

    private AuthRegistry registry;
    private String adminPassword;
    private final Map<String, Digest> configBlob = new LinkedHashMap<>();

    private record RouteCase(String name, String action, String method, String path, byte[] body, int allowedStatus) {
    }

    /** Where the registries of this class keep their metadata; {@link AccessTableOnPostgresTest} runs the class on PostgreSQL. */
    MetaDatabase database() {
        return MetaDatabase.SQLITE;
    }

    @BeforeAll
    void setUp(@TempDir Path root) throws Exception {
        registry = AuthRegistry.start(root, database());
        adminPassword = registry.adminPassword();
        for (String user : CALLERS.subList(1, CALLERS.size())) {
            registry.addUser("admin", adminPassword, user, password(user));
        }
        for (String sharing : CLASSES) {
            String project = project(sharing);
            registry.expect(201, "admin", adminPassword, "POST", "projects", Map.of("name", project, "class", sharing));
            for (String role : ROLES) {
                registry.expect(200, "admin", adminPassword, "PUT", "projects/" + project + "/members/" + role, Map.of("role", role));
            }
            String token = registry.token("admin", adminPassword, "repository:" + project + "/app:pull,push");
            byte[] manifest = registry.api.withHeaders("Authorization", AuthRegistry.bearer(token)).pushImage(project + "/app", "v1", 1);
            configBlob.put(project, Json.read(manifest, ImageManifest.class, "manifest").config().digest());
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        registry.close();
    }

    private static String project(String sharing) {
        return sharing.substring(0, 3) + "lab";
    }

    private static String password(String user) {
        return "password-of-" + user;
    }

    /** The model the registry must follow. */
    private static boolean allowed(String caller, String sharing, String action) {
        int role = ROLES.indexOf(caller);
        return switch (action) {
            case "pull" -> role >= 0 || sharing.equals("public") || (sharing.equals("internal") && !caller.equals("anonymous"));
            case "push" -> role >= ROLES.indexOf("developer");
            case "delete" -> role >= ROLES.indexOf("maintainer");
            default -> throw new IllegalArgumentException(action);
        };
    }

    private List<RouteCase> routes(String project) {
        String repository = project + "/app";
        Digest blob = configBlob.get(project);
        Digest absent = Digest.of(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        String v2 = "/v2/" + repository;
        byte[] notAManifest = "{}".getBytes(StandardCharsets.UTF_8);
        return List.of(
                new RouteCase("GET manifest", "pull", "GET", v2 + "/manifests/v1", null, 200),
                new RouteCase("HEAD manifest", "pull", "HEAD", v2 + "/manifests/v1", null, 200),
                new RouteCase("GET blob", "pull", "GET", v2 + "/blobs/" + blob, null, 200),
                new RouteCase("HEAD blob", "pull", "HEAD", v2 + "/blobs/" + blob, null, 200),
                new RouteCase("GET tags", "pull", "GET", v2 + "/tags/list", null, 200),
                new RouteCase("GET referrers", "pull", "GET", v2 + "/referrers/" + blob, null, 200),
                new RouteCase("POST upload", "push", "POST", v2 + "/blobs/uploads/", null, 202),
                new RouteCase("PATCH upload", "push", "PATCH", v2 + "/blobs/uploads/" + UUID.randomUUID(), new byte[1], 404),
                new RouteCase("PUT manifest", "push", "PUT", v2 + "/manifests/v2", notAManifest, 400),
                new RouteCase("DELETE manifest", "delete", "DELETE", v2 + "/manifests/absent", null, 404),
                new RouteCase("DELETE blob", "delete", "DELETE", v2 + "/blobs/" + absent, null, 404));
    }

    @Test
    void everyRouteFollowsRolesAndClasses() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        int checked = 0;
        for (String caller : CALLERS) {
            for (String sharing : CLASSES) {
                String project = project(sharing);
                String token = tokenFor(caller, "repository:" + project + "/app:pull,push,delete");
                Api api = registry.api.withHeaders("Authorization", AuthRegistry.bearer(token));
                for (RouteCase route : routes(project)) {
                    HttpResponse<byte[]> response = api.send(route.method(), route.path(), route.body(),
                            "Content-Type", MediaType.OCI_MANIFEST, "Accept", MediaType.OCI_MANIFEST);
                    int expected = allowed(caller, sharing, route.action()) ? route.allowedStatus() : 401;
                    softly.assertThat(response.statusCode())
                            .as("%s by %s on a %s project: %s", route.name(), caller, sharing, Api.text(response))
                            .isEqualTo(expected);
                    if (expected == 401) {
                        softly.assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
                                .as("challenge for %s by %s on %s", route.name(), caller, sharing)
                                .startsWith("Bearer realm=\"" + registry.server.url() + "/auth/token\",service=\"berth\"")
                                .contains("scope=\"repository:" + project + "/app:");
                    }
                    checked++;
                }
            }
        }
        softly.assertAll();
        assertThat(checked).isEqualTo(CALLERS.size() * CLASSES.size() * routes(project("public")).size());
    }

    @Test
    void withoutAnyTokenEveryRouteIsChallengedAndTheBaseToo() throws Exception {
        HttpResponse<byte[]> base = registry.api.get("/v2/");
        assertThat(base.statusCode()).isEqualTo(401);
        assertThat(base.headers().firstValue("WWW-Authenticate").orElseThrow())
                .isEqualTo("Bearer realm=\"" + registry.server.url() + "/auth/token\",service=\"berth\"");
        for (RouteCase route : routes(project("public"))) {
            HttpResponse<byte[]> response = registry.api.send(route.method(), route.path(), route.body());
            assertThat(response.statusCode()).as(route.name()).isEqualTo(401);
        }
        String anonymous = registry.token(null, null);
        assertThat(registry.api.get("/v2/", "Authorization", AuthRegistry.bearer(anonymous)).statusCode()).isEqualTo(200);
    }

    @Test
    void theCatalogListsExactlyWhatTheCallerMayPull() throws Exception {
        for (String caller : CALLERS) {
            String token = tokenFor(caller, "registry:catalog:*");
            HttpResponse<byte[]> response = registry.api.get("/v2/_catalog", "Authorization", AuthRegistry.bearer(token));
            assertThat(response.statusCode()).as(Api.text(response)).isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<String> listed = (List<String>) Api.jsonObject(response.body()).get("repositories");
            List<String> expected = new ArrayList<>();
            for (String sharing : CLASSES) {
                if (allowed(caller, sharing, "pull")) {
                    expected.add(project(sharing) + "/app");
                }
            }
            assertThat(listed.stream().filter(name -> name.endsWith("lab/app")).sorted().toList())
                    .as("catalog for " + caller).isEqualTo(expected.stream().sorted().toList());
        }
    }

    @Test
    void aMountFromARepositoryTheCallerCannotReadIsAPlainUpload() throws Exception {
        Digest secret = configBlob.get(project("private"));
        // The outsider's personal project is theirs to push to; the private project is not theirs to read.
        String token = registry.token("outsider", password("outsider"),
                "repository:outsider/copy:pull,push", "repository:prilab/app:pull");
        Api outsider = registry.api.withHeaders("Authorization", AuthRegistry.bearer(token));
        HttpResponse<byte[]> fromPrivate = outsider.send("POST", "/v2/outsider/copy/blobs/uploads/?mount=" + secret
                + "&from=prilab/app", null);
        assertThat(fromPrivate.statusCode()).as(Api.text(fromPrivate)).isEqualTo(202);
        HttpResponse<byte[]> anywhere = outsider.send("POST", "/v2/outsider/copy/blobs/uploads/?mount=" + secret, null);
        assertThat(anywhere.statusCode()).as(Api.text(anywhere)).isEqualTo(202);
        assertThat(outsider.send("HEAD", "/v2/outsider/copy/blobs/" + secret, null).statusCode()).isEqualTo(404);

        // A developer of both projects may mount between them.
        String developer = registry.token("developer", password("developer"),
                "repository:publab/copy:pull,push", "repository:prilab/app:pull");
        HttpResponse<byte[]> mounted = registry.api.send("POST", "/v2/publab/copy/blobs/uploads/?mount=" + secret
                + "&from=prilab/app", null, "Authorization", AuthRegistry.bearer(developer));
        assertThat(mounted.statusCode()).as(Api.text(mounted)).isEqualTo(201);
    }

    @Test
    void aMountsChallengeAsksForPullOnItsSourceSoThatItsTokenCanMount() throws Exception {
        Digest secret = configBlob.get(project("private"));
        String mount = "/v2/publab/copy/blobs/uploads/?mount=" + secret + "&from=prilab/app";
        HttpResponse<byte[]> challenged = registry.api.send("POST", mount, null);
        assertThat(challenged.statusCode()).isEqualTo(401);
        String challenge = challenged.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).as("the token endpoint, without the refused request's query").isEqualTo("Bearer realm=\""
                + registry.server.url() + "/auth/token\",service=\"berth\",scope=\"repository:publab/copy:pull,push repository:prilab/app:pull\"");

        String scope = challenge.replaceAll("^.*scope=\"([^\"]*)\".*$", "$1");
        String token = registry.token("developer", password("developer"), scope);
        HttpResponse<byte[]> mounted = registry.api.send("POST", mount, null, "Authorization", AuthRegistry.bearer(token));
        assertThat(mounted.statusCode()).as(Api.text(mounted)).isEqualTo(201);
        HttpResponse<byte[]> badSource = registry.api.send("POST", "/v2/publab/copy/blobs/uploads/?mount=" + secret
                + "&from=Bad%22Name", null);
        assertThat(badSource.headers().firstValue("WWW-Authenticate").orElseThrow()).as("a source that is no repository name")
                .endsWith("scope=\"repository:publab/copy:pull,push\"");
    }

    private String tokenFor(String caller, String... scopes) throws Exception {
        return caller.equals("anonymous") ? registry.token(null, null, scopes) : registry.token(caller, password(caller), scopes);
    }
}
